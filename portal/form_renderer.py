"""A form renderer that writes Django's standard widgets in Python.

Rendering a widget through the template engine costs several nested template renders (the
widget, its attributes, each option, each option's input); a page of thirty questions renders
a few hundred of them. This renderer produces exactly the HTML of Django's own widget templates
(django/forms/widgets/*.html) for the widgets the portal uses, escaping as they do, and hands
every other template (crispy's field layouts, a custom widget) to the template engine. The
equivalence is checked by tests/portal/test_form_renderer.py against the engine's output.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

W = "django/forms/widgets/"
INPUTS = {
    f"{W}{name}.html"
    for name in (
        "input",
        "text",
        "hidden",
        "checkbox",
        "date",
        "email",
        "number",
        "password",
        "url",
        "datetime",
        "time",
        "search",
        "tel",
    )
}
MULTIPLE = {f"{W}radio.html", f"{W}checkbox_select.html", f"{W}multiple_input.html"}


def attrs_html(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{escape(str(value))}"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    value = widget.get("value")
    value_part = "" if value is None else f' value="{escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value_part}{attrs_html(widget["attrs"])}>'
    )


def option_input_html(option: dict) -> str:
    """input_option.html included by radio_option/checkbox_option.html: each template file
    ends with a newline, and only the outermost render is stripped."""
    if not option.get("wrap_label"):
        return f"{input_html(option)}\n\n\n"
    label_for = option["attrs"].get("id")
    open_label = f'<label for="{conditional_escape(label_for)}">' if label_for else "<label>"
    return f"{open_label}{input_html(option)}\n {conditional_escape(option['label'])}</label>\n\n"


def multiple_html(widget: dict) -> str:
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{conditional_escape(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{conditional_escape(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {option_input_html(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def select_html(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(str(option["value"]))}"'
                f"{attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def textarea_html(widget: dict) -> str:
    value = widget.get("value")
    body = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{body}</textarea>"
    )


class FastWidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the standard widgets written directly."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name == widget.get("template_name"):
            if template_name in INPUTS:
                return input_html(widget)
            if template_name in MULTIPLE:
                return multiple_html(widget)
            if template_name == f"{W}select.html":
                return select_html(widget)
            if template_name == f"{W}textarea.html":
                return textarea_html(widget)
        return super().render(template_name, context, request)
