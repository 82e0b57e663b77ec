"""The alerts banner at the top of every admin page (for staff; one query)."""

from django import template

from integrations.models import Alert

register = template.Library()


@register.inclusion_tag("admin/integrations/alerts_banner.html", takes_context=True)
def crm_alerts_banner(context):
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_staff:
        return {"alerts": []}
    return {"alerts": list(Alert.objects.open().order_by("raised_at", "pk"))}
