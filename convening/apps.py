from django.apps import AppConfig


class ConveningConfig(AppConfig):
    name = "convening"
    verbose_name = "Convening"
