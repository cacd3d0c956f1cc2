from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Relationships across boundaries"

    def ready(self) -> None:
        from . import (
            introductions,
            tasks,  # noqa: F401 - jobs are queued by name, so every process must know them
        )

        introductions.register_holdings()
        # Registers the network's tables with core's exports (convening/exports.py).
        from .views import exports  # noqa: F401
