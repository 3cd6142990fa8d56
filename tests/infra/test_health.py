import socket

import pytest
from django.test import override_settings


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_healthz_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_503_when_broker_unreachable(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")


@pytest.mark.django_db
def test_healthz_503_when_embedded_broker_folder_missing(client, tmp_path):
    missing = str(tmp_path / "gone")
    options = {"data_folder_in": missing, "data_folder_out": missing}
    with override_settings(
        CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@pytest.fixture(autouse=True)
def _fresh_broker_memo():
    from config import health

    health._memo.clear()
    yield
    health._memo.clear()


@pytest.mark.django_db
def test_healthz_asks_the_broker_once_per_window_and_sees_it_go_down(client, monkeypatch):
    from config import health

    now = [1000.0]
    asked = []
    answers = iter(["ok", "error: OperationalError"])

    def ask(url, options):
        asked.append(url)
        return next(answers)

    monkeypatch.setattr(health, "_clock", lambda: now[0])
    monkeypatch.setattr(health, "_ask_broker", ask)
    with override_settings(CELERY_BROKER_URL="redis://broker.invalid:6379/0"):
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
        assert len(asked) == 1  # the broker answered once for the three requests
        now[0] += 4.9
        assert client.get("/healthz").json()["broker"] == "ok"
        assert len(asked) == 1
        now[0] += 0.2  # the window (HEALTHZ_BROKER_SECONDS = 5) is over: asked again, down now
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {
            "status": "error",
            "database": "ok",
            "broker": "error: OperationalError",
        }
        assert len(asked) == 2
        now[0] += 1  # the bad answer is remembered too: still 503 without asking
        assert client.get("/healthz").status_code == 503
        assert len(asked) == 2


@pytest.mark.django_db
def test_healthz_503_when_database_down_even_with_broker_remembered(client, monkeypatch):
    from django.db import connection

    assert client.get("/healthz").status_code == 200  # broker answer remembered as ok

    def broken_cursor(*args, **kwargs):
        raise ConnectionError("database gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionError"
    assert response.json()["broker"] == "ok"
