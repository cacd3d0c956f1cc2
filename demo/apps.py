from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data: management commands and their data files. Nothing imports this app."""

    name = "demo"
    verbose_name = "Demo data"
