from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "centers"
