"""The window switch the network's pages share: last 90 days, last 12 months, all time."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from ..models import DEFAULT_WINDOW, Window


@dataclass(frozen=True)
class WindowChoice:
    value: str
    label: str
    # Set when the address asked for a window that does not exist: the page says so.
    problem: str = ""

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        """(value, label, chosen) for each window, for the switch."""
        return [(value, label, value == self.value) for value, label in Window.choices]


def chosen_window(request: HttpRequest) -> WindowChoice:
    """The window the address asks for, or the default with a message saying why."""
    asked = request.GET.get("window", "")
    if asked in Window.values:
        return WindowChoice(asked, Window(asked).label)
    default = WindowChoice(DEFAULT_WINDOW.value, DEFAULT_WINDOW.label)
    if not asked:
        return default
    return WindowChoice(
        default.value,
        default.label,
        problem=(
            "That period is not one we show, so this page shows the "
            f"{DEFAULT_WINDOW.label.lower()}."
        ),
    )
