"""Realistic sample data, as a small sales team's org looks after a few months.

Accounts with contacts, open and converted leads, opportunities in every stage (some Closed
Won) with contact roles, a few open support Cases from contacts, and addresses whose
country/state values are as messy as users type them ("USA", "United States", "Germany",
"Deutschland") - or valid ISO codes when the org has state/country picklists. Records are
created by the sales reps, never by the integration user. Deterministic for a given seed.
"""

import random
from datetime import timedelta

from faker import Faker

from .objects import ACCOUNT_TYPES, CONTACT_ROLES, INDUSTRIES, LEAD_SOURCES, STAGES
from .org import SALES_REP_IDS

# (country as typed, ISO country, ISO state or None, state as typed, city)
LOCATIONS = (
    ("USA", "US", "CA", "CA", "San Francisco"),
    ("United States", "US", "NY", "New York", "New York"),
    ("US", "US", "TX", "TX", "Austin"),
    ("Germany", "DE", "BE", "Berlin", "Berlin"),
    ("Deutschland", "DE", "BY", "Bayern", "München"),
    ("UK", "GB", None, None, "London"),
    ("Canada", "CA", "ON", "Ontario", "Toronto"),
    ("Australia", "AU", "NSW", "NSW", "Sydney"),
    ("France", "FR", None, None, "Paris"),
)
CASE_SUBJECTS = (
    "Invoice shows the wrong address",
    "Cannot log in after the update",
    "Export to CSV times out",
    "Question about the renewal",
    "Printer driver missing",
)
OPEN_LEAD_STATUSES = ("Open - Not Contacted", "Working - Contacted", "Closed - Not Converted")


class SampleData:
    def __init__(self, store, seed: int | None):
        self.store = store
        self.random = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed if seed is not None else self.random.random())
        self.accounts: list[tuple[str, tuple]] = []  # (id, location)
        self.contacts_by_account: dict[str, list[str]] = {}

    def create(self, *, accounts: int, contacts: int, leads: int, opportunities: int,
               cases: int = 0) -> dict:  # fmt: skip
        for _ in range(accounts):
            self._account()
        for _ in range(contacts):
            self._contact()
        lead_ids = [self._lead() for _ in range(leads)]
        converted = self._convert_some(lead_ids)
        for _ in range(opportunities if self.accounts else 0):
            self._opportunity()
        contact_ids = [i for ids in self.contacts_by_account.values() for i in ids]
        made = [self._case(contact_ids) for _ in range(cases if contact_ids else 0)]
        return {"accounts": accounts, "contacts": contacts, "leads": leads,
                "converted_leads": converted, "opportunities": opportunities,
                "cases": len(made)}  # fmt: skip

    def _owner(self) -> str:
        return self.random.choice(SALES_REP_IDS)

    def _address(self, prefix: str, location: tuple) -> dict:
        country_text, country_code, state_code, state_text, city = location
        address = {f"{prefix}Street": self.fake.street_address(), f"{prefix}City": city,
                   f"{prefix}PostalCode": self.fake.postcode()}  # fmt: skip
        if self.store.state_country_picklists:
            address[f"{prefix}CountryCode"] = country_code
            if state_code:
                address[f"{prefix}StateCode"] = state_code
        else:
            address[f"{prefix}Country"] = country_text
            if state_text:
                address[f"{prefix}State"] = state_text
        return address

    def _account(self) -> None:
        location = self.random.choice(LOCATIONS)
        name = self.fake.unique.company()
        fields = {
            "Name": name, "Industry": self.random.choice(INDUSTRIES),
            "Type": self.random.choice(ACCOUNT_TYPES), "Phone": self.fake.phone_number()[:40],
            "Website": f"https://www.{self.fake.domain_name()}",
            "NumberOfEmployees": self.random.randint(5, 20000),
            "AnnualRevenue": float(self.random.randint(1, 500) * 100_000),
            "AccountSource": self.random.choice(LEAD_SOURCES),
            **self._address("Billing", location),
        }  # fmt: skip
        account_id = self.store.insert("Account", fields, self._owner())
        self.accounts.append((account_id, location))
        self.contacts_by_account[account_id] = []

    def _person(self) -> dict:
        first, last = self.fake.first_name(), self.fake.last_name()
        email = f"{first}.{last}.{self.random.randint(1, 9999)}@{self.fake.free_email_domain()}"
        return {"FirstName": first, "LastName": last, "Email": email.lower().replace(" ", ""),
                "Title": self.fake.job()[:128], "Phone": self.fake.phone_number()[:40],
                "LeadSource": self.random.choice(LEAD_SOURCES)}  # fmt: skip

    def _contact(self) -> None:
        fields = self._person()
        if self.accounts and self.random.random() < 0.85:
            account_id, location = self.random.choice(self.accounts)
            fields["AccountId"] = account_id
        else:
            account_id, location = None, self.random.choice(LOCATIONS)
        contact_id = self.store.insert("Contact", {**fields, **self._address("Mailing", location)},
                                       self._owner())  # fmt: skip
        if account_id:
            self.contacts_by_account[account_id].append(contact_id)

    def _lead(self) -> str:
        fields = {
            **self._person(), "Company": self.fake.company(),
            "Status": self.random.choice(OPEN_LEAD_STATUSES),
            "Industry": self.random.choice(INDUSTRIES),
            "Rating": self.random.choice(("Hot", "Warm", "Cold")),
            **self._address("", self.random.choice(LOCATIONS)),
        }  # fmt: skip
        return self.store.insert("Lead", fields, self._owner())

    def _convert_some(self, lead_ids: list[str]) -> int:
        converted = lead_ids[: max(len(lead_ids) // 8, 2 if len(lead_ids) >= 5 else 0)]
        for index, lead_id in enumerate(converted):
            self.store.convert_lead(lead_id, create_opportunity=index % 2 == 0,
                                    user_id=self._owner())  # fmt: skip
        return len(converted)

    def _opportunity(self) -> None:
        account_id, _ = self.random.choice(self.accounts)
        stage = self.random.choices([s[0] for s in STAGES], weights=[3] * 8 + [4, 2])[0]
        close_date = self.store.now().date() + timedelta(days=self.random.randint(-90, 120))
        fields = {
            "Name": f"{self.fake.catch_phrase()[:90]} ({self.fake.random_int(1, 99)})",
            "AccountId": account_id, "StageName": stage, "CloseDate": close_date,
            "Amount": float(self.random.randint(5, 500) * 1000),
            "LeadSource": self.random.choice(LEAD_SOURCES),
        }  # fmt: skip
        opportunity_id = self.store.insert("Opportunity", fields, self._owner())
        contacts = self.contacts_by_account.get(account_id)
        if contacts:
            self.store.insert("OpportunityContactRole", {
                "OpportunityId": opportunity_id, "ContactId": self.random.choice(contacts),
                "Role": self.random.choice(CONTACT_ROLES), "IsPrimary": True,
            }, self._owner())  # fmt: skip

    def _case(self, contact_ids: list[str]) -> str:
        contact = self.store.get("Contact", self.random.choice(contact_ids))
        return self.store.insert("Case", {
            "Subject": self.random.choice(CASE_SUBJECTS), "ContactId": contact["Id"],
            "AccountId": contact["AccountId"], "Status": self.random.choice(("New", "Working")),
        }, self._owner())  # fmt: skip


def seed_sample_data(store, *, seed=None, accounts=25, contacts=80, leads=40, opportunities=30,
                     cases=6):  # fmt: skip
    """Create the sample records; returns how many of each were made."""
    with store.lock:
        return SampleData(store, seed).create(
            accounts=accounts,
            contacts=contacts,
            leads=leads,
            opportunities=opportunities,
            cases=cases,
        )
