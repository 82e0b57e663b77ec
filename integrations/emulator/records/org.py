"""The org's built-in records: the organization, its users and the opportunity stages.

Their ids are fixed, so they survive `reset()` and restarts; the integration user is the one
the API credentials log in as, the sales reps are "other users" whose edits a sync must notice.
"""

from .ids import make_id
from .objects import STAGES

ORG_ID = make_id("00D", 1)
INTEGRATION_USER_ID = make_id("005", 1)
SALES_REP_IDS = (make_id("005", 2), make_id("005", 3))
MANAGER_USER_ID = make_id("005", 4)
INACTIVE_USER_ID = make_id("005", 5)  # a rep who left: records cannot be given to them
INTEGRATION_USERNAME = "integration@crmbridge-emulator.example"
ORG_NAME = "CRM Bridge Emulator"

# (id, first name, last name, username = email, alias, active)
_USERS = (
    (INTEGRATION_USER_ID, "Integration", "User", INTEGRATION_USERNAME, "intuser", True),
    (SALES_REP_IDS[0], "Sam", "Seller", "sam.seller@crmbridge-emulator.example", "sseller", True),
    (SALES_REP_IDS[1], "Rita", "Rep", "rita.rep@crmbridge-emulator.example", "rrep", True),
    (MANAGER_USER_ID, "Mia", "Manager", "mia.manager@crmbridge-emulator.example", "mmanager",
     True),
    (INACTIVE_USER_ID, "Ian", "Inactive", "ian.inactive@crmbridge-emulator.example", "iinact",
     False),
)  # fmt: skip


def install(store) -> None:
    store.install("Organization", ORG_ID, {
        "Name": ORG_NAME, "OrganizationType": "Developer Edition", "InstanceName": "SBX1",
        "IsSandbox": True, "DefaultLocaleSidKey": "en_US", "LanguageLocaleKey": "en_US",
        "TimeZoneSidKey": "GMT",
    })  # fmt: skip
    for user_id, first, last, username, alias, active in _USERS:
        store.install("User", user_id, {
            "FirstName": first, "LastName": last, "Username": username, "Email": username,
            "Alias": alias, "IsActive": active, "UserType": "Standard", "TimeZoneSidKey": "GMT",
            "CompanyName": ORG_NAME,
        })  # fmt: skip
    for position, (name, probability, closed, won, forecast) in enumerate(STAGES, start=1):
        store.install("OpportunityStage", make_id("01J", position), {
            "MasterLabel": name, "ApiName": name, "IsActive": True, "SortOrder": position,
            "IsClosed": closed, "IsWon": won, "DefaultProbability": probability,
            "ForecastCategoryName": forecast,
        })  # fmt: skip
