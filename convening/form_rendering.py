"""Form rendering: a Django bound field becomes the parameters of its nhsuk macro, and a failed
form becomes the items of the error summary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html, format_html_join
from markupsafe import Markup

# Django widget -> nhsuk macro.
# Most specific first: CheckboxSelectMultiple is a subclass of RadioSelect.
_MACRO_FOR_WIDGET = {
    forms.Textarea: "textarea",
    forms.CheckboxSelectMultiple: "checkboxes",
    forms.RadioSelect: "radios",
    forms.CheckboxInput: "checkbox",
    forms.Select: "select",
}


def field_params(bound_field: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """Parameters for the nhsuk macro matching a bound field, with label, hint and error.

    The template helper `components/forms.jinja` calls the macro named in `macro`.
    """
    widget = bound_field.field.widget
    macro = "input"
    for widget_class, name in _MACRO_FOR_WIDGET.items():
        if isinstance(widget, widget_class):
            macro = name
            break
    if getattr(widget, "nhsuk_macro", None):
        macro = widget.nhsuk_macro
    label_classes = overrides.pop("label_classes", "")
    params: dict[str, Any] = {
        "macro": macro,
        "id": bound_field.id_for_label or bound_field.auto_id,
        "name": bound_field.html_name,
        "label": {"text": str(bound_field.label), "classes": label_classes},
        "hint": {"text": str(bound_field.help_text)} if bound_field.help_text else None,
        "errorMessage": {"text": " ".join(field_errors(bound_field))}
        if bound_field.errors
        else None,
        "attributes": _html_attributes(bound_field),
    }
    value = bound_field.value()
    if macro in {"input", "textarea"}:
        params["value"] = "" if value is None else str(value)
        params["type"] = getattr(widget, "input_type", "text") or "text"
        if params["type"] not in {"text", "email", "number", "password", "search", "tel", "url"}:
            params["type"] = "text"
        if macro == "textarea":
            params["rows"] = widget.attrs.get("rows", 5)
    elif macro == "select":
        # The macro renders each option through its attribute helpers, which costs about a
        # quarter of a millisecond an option; a list of hundreds (people, organisations) is
        # rendered here instead and put inside the macro's <select> (components/forms.jinja).
        params["items"] = []
        params["options_html"] = _options_html(_choice_items(bound_field, macro, value))
    elif macro in {"radios", "checkboxes"}:
        params["items"] = _choice_items(bound_field, macro, value)
        if macro in {"radios", "checkboxes"}:
            params["idPrefix"] = bound_field.auto_id
            params["fieldset"] = {
                "legend": {"text": str(bound_field.label), "classes": "nhsuk-fieldset__legend--s"}
            }
    elif macro == "checkbox":
        params["idPrefix"] = bound_field.auto_id
        params["items"] = [
            {
                "value": "on",
                "text": str(bound_field.label),
                "checked": bool(value),
                "hint": params["hint"],
            }
        ]
        params["hint"] = None
    elif macro == "dateInput":
        params["items"] = widget.nhsuk_items(bound_field.html_name, value)
        params["fieldset"] = {
            "legend": {"text": str(bound_field.label), "classes": "nhsuk-fieldset__legend--s"}
        }
        params["id"] = bound_field.auto_id
    if macro in {"radios", "checkboxes", "checkbox"}:
        # The first input takes the id (idPrefix); the wrapping div must not repeat it.
        del params["id"]
    params.update(overrides)
    # The browser is never told the limit as `maxlength`, which would cut pasted text off
    # without a word; the character count says what is left, and the server says by how much.
    limit = _text_limit(bound_field, params["attributes"].pop("maxlength", None))
    if limit and macro in {"input", "textarea"}:
        _count_characters(params, limit)
    return params


def _text_limit(bound_field: forms.BoundField, attribute: Any) -> int | None:
    limit = getattr(bound_field.field, "max_length", None) or attribute
    return int(limit) if limit else None


def _count_characters(params: dict[str, Any], limit: int) -> None:
    """Turn a limited text box into the nhsuk character count (NHS.UK frontend's script starts
    it). A textarea uses the `characterCount` macro; a one-line box gets the same wrapper
    around the `input` macro, and only shows the count once three quarters are used."""
    if params["macro"] == "textarea":
        params["macro"] = "characterCount"
        params["maxlength"] = limit
        params["textareaDescriptionText"] = f"You can enter up to {limit:,} characters"
        return
    info_id = f"{params['id']}-info"
    params["classes"] = f"{params.get('classes') or ''} nhsuk-js-character-count".strip()
    params["describedBy"] = info_id
    params["formGroup"] = {
        "classes": "nhsuk-character-count",
        "attributes": {
            "data-module": "nhsuk-character-count",
            "data-maxlength": str(limit),
            "data-threshold": "75",
        },
        "afterInput": {
            "html": format_html(
                '<div class="nhsuk-hint nhsuk-character-count__message" id="{}">'
                "You can enter up to {} characters</div>",
                info_id,
                f"{limit:,}",
            )
        },
    }


def field_errors(bound_field: forms.BoundField) -> list[str]:
    """The field's error messages. Text over its limit is told by how much, since the box
    lets people go over (and keeps all they typed)."""
    texts = []
    for error in bound_field.errors.as_data():
        for message in error.messages:
            if error.code == "max_length" and error.params:
                message = _too_long(bound_field, error, message)
            texts.append(str(message))
    return texts


def _too_long(bound_field: forms.BoundField, error: forms.ValidationError, message: str) -> str:
    limit, length = error.params["limit_value"], error.params["show_value"]
    if error.message == MaxLengthValidator.message:  # Django's own words, not the form's
        label = str(bound_field.label).removesuffix(" (optional)")
        message = f"{label} must be {limit:,} characters or fewer"
    over = length - limit
    characters = "character" if over == 1 else "characters"
    return f"{message.rstrip('.')}: it is {over:,} {characters} too long"


def _html_attributes(bound_field: forms.BoundField) -> dict[str, Any]:
    attributes = {}
    for key in ("autocomplete", "maxlength", "spellcheck", "inputmode"):
        value = bound_field.field.widget.attrs.get(key)
        if value is not None:
            attributes[key] = str(value)
    # Radios and checkboxes put attributes on their wrapping div, where aria-required is not
    # allowed; a group's legend and error say what is needed instead.
    if bound_field.field.required and not isinstance(
        bound_field.field.widget,
        forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect | forms.MultiWidget,
    ):
        attributes["aria-required"] = "true"
    return attributes


# Django offers this blank choice on a model field with choices and no default.
BLANK_LABEL = "---------"
# An optional radio group keeps its blank choice, in words, so a choice can be taken back.
OPTIONAL_RADIO_BLANK_LABEL = "Not given"


def _choice_items(bound_field, macro: str, value: Any) -> list[dict[str, Any]]:
    selected = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    key = "selected" if macro == "select" else "checked"
    items = []
    for choice_value, choice_label in bound_field.field.choices:
        choice_value = (
            "" if choice_value is None else str(getattr(choice_value, "value", choice_value))
        )
        if macro == "radios" and choice_value == "":
            # A select needs a blank option to show nothing chosen; a radio group shows that
            # with no radio checked, and a required one can never be sent blank.
            if bound_field.field.required:
                continue
            if str(choice_label) == BLANK_LABEL:
                choice_label = OPTIONAL_RADIO_BLANK_LABEL
        items.append(
            {"value": choice_value, "text": str(choice_label), key: choice_value in selected}
        )
    return items


def with_options(select_html: Markup, options_html: Markup) -> Markup:
    """Put pre-rendered <option>s inside the <select> that the nhsuk macro drew."""
    return Markup(str(select_html).replace("</select>", f"{options_html}</select>", 1))  # noqa: S704 - both parts are already escaped markup


def _options_html(items: list[dict[str, Any]]) -> Markup:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((item["value"], " selected" if item["selected"] else "", item["text"]) for item in items),
    )


def error_summary_items(*forms_: forms.Form) -> list[dict[str, str]]:
    """Error summary links: each error points to its field (or has no link if form-wide)."""
    items: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error)})
        for bound_field in form:
            for error in field_errors(bound_field):
                items.append({"text": error, "href": f"#{_anchor_for(bound_field)}"})
    return items


def _anchor_for(bound_field: forms.BoundField) -> str:
    widget = bound_field.field.widget
    if getattr(widget, "nhsuk_macro", None) == "dateInput":
        return f"{bound_field.auto_id}-day"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return bound_field.auto_id  # the nhsuk macros give the first input this id
    return bound_field.id_for_label or bound_field.auto_id
