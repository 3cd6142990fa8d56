"""Time to render pages with the Django test client (ms/request). Run: make bench."""

from _setup import bench_database, iterations, measure


def main():
    n = iterations()
    with bench_database():
        from django.conf import settings
        from django.test import Client

        from accounts.models import User

        db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {db}; broker: {settings.CELERY_BROKER_URL.split(':', 1)[0]}")

        anonymous = Client()
        applicant = Client()
        applicant.force_login(User.objects.get(username="applicant"))
        officer = Client()
        officer.force_login(User.objects.get(username="officer"))

        def get(client, url, status=200):
            def call():
                response = client.get(url)
                assert response.status_code == status, (url, response.status_code)

            return call

        measure("GET / (anonymous)", get(anonymous, "/"), n)
        measure("GET / (applicant)", get(applicant, "/"), n)
        measure("GET / (officer)", get(officer, "/"), n)
        measure("GET /accounts/login/", get(anonymous, "/accounts/login/"), n)
        measure("GET /healthz", get(anonymous, "/healthz"), n)


if __name__ == "__main__":
    main()
