"""Who may read which record on the sales users' pages: one rule for the home page and the
history pages, applied in the database so a list and a single record cannot disagree.

Staff and the holders of an admin seat read everything (`reads_everything`). A member reads
the records they own here (a contact's owner, a link's owner and its visits', an activity's
author) and those whose Salesforce owner is their seat's Salesforce user (contacts and
companies keep the OwnerId the sync read, opportunities theirs). Documents and rooms have no
owner of their own: staff and admins only. Anything else is not found, as if it did not
exist.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Model, Q, QuerySet

from tracking.hooks import holds_admin_seat, salesforce_user_id_of
from tracking.models import Activity, Company, Contact, Link, Opportunity, Visit

# The lookup of the local user owning each model's records.
LOCAL_OWNERS = {Contact: "owner", Link: "owner", Visit: "link__owner", Activity: "author"}
# The field holding the Salesforce user id owning each model's Salesforce record.
SALESFORCE_OWNERS = {
    Contact: "salesforce_owner_id",
    Company: "salesforce_owner_id",
    Opportunity: "owner_salesforce_id",
}


def owned_q(*, model: type[Model], user_id: int, salesforce_user_id: str) -> Q | None:
    """The records of `model` a member owns, as a filter; None when they can own none."""
    conditions = []
    if model in LOCAL_OWNERS:
        conditions.append(Q(**{f"{LOCAL_OWNERS[model]}_id": user_id}))
    if model in SALESFORCE_OWNERS and salesforce_user_id:
        conditions.append(Q(**{SALESFORCE_OWNERS[model]: salesforce_user_id}))
    return reduce(operator.or_, conditions) if conditions else None


def reads_everything(user) -> bool:
    """Staff, and admins by seat, read every record and every unresolved item."""
    return bool(user.is_staff or holds_admin_seat(user))


def records_visible_to(*, model: type[Model], user, salesforce_user_id: str | None = None):
    """The records of `model` that `user` may read. `salesforce_user_id` is the user's
    seat's Salesforce user, when the caller has asked already (one query saved)."""
    queryset: QuerySet = model.objects.all()
    if reads_everything(user):
        return queryset
    if salesforce_user_id is None:
        salesforce_user_id = salesforce_user_id_of(user)
    condition = owned_q(model=model, user_id=user.pk, salesforce_user_id=salesforce_user_id)
    return queryset.none() if condition is None else queryset.filter(condition)
