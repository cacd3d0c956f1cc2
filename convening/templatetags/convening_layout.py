"""Lets django-allauth's Django templates sit inside our one Jinja page layout.

    {% jinja_layout %}title…{% jinja_content %}content…{% endjinja_layout %}

renders both parts with Django templates, then hands them to `django_shell.jinja`, which extends
`base.jinja`. So signing in looks like the rest of the service without a second copy of the
header and footer.
"""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


class JinjaLayoutNode(template.Node):
    # Declared so that {% block %} tags inside are found and overridden by child templates.
    child_nodelists = ("title_nodelist", "nodelist")

    def __init__(self, title_nodelist: template.NodeList, nodelist: template.NodeList):
        self.title_nodelist = title_nodelist
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        title = " ".join(self.title_nodelist.render(context).split())
        content = self.nodelist.render(context)
        shell = engines["jinja2"].get_template("django_shell.jinja")
        # The content was rendered by Django's autoescaping engine, so it is already safe.
        return shell.render(
            {"shell_content": mark_safe(content), "title": title},  # noqa: S308
            context.get("request"),
        )


@register.tag
def jinja_layout(parser: template.base.Parser, token: template.base.Token) -> JinjaLayoutNode:
    title_nodelist = parser.parse(("jinja_content",))
    parser.delete_first_token()
    nodelist = parser.parse(("endjinja_layout",))
    parser.delete_first_token()
    return JinjaLayoutNode(title_nodelist, nodelist)
