"""Sample data: realistic, deterministic for a seed, and made by users other than the
integration user."""

from integrations.emulator import Emulator


def _snapshot(emulator):
    return sorted((c["LastName"], c["Email"]) for c in emulator.store.all("Contact"))


def test_sample_data_has_the_shapes_a_sync_meets():
    emulator = Emulator(seed=11)

    counts = emulator.seed_sample_data()
    store = emulator.store
    leads = store.all("Lead")
    opportunities = store.all("Opportunity")
    countries = {a["BillingCountry"] for a in store.all("Account")} | {
        c["MailingCountry"] for c in store.all("Contact")
    }

    assert counts["converted_leads"] >= 2
    assert store.count("Account") == 25 + sum(1 for lead in leads if lead["ConvertedAccountId"])
    assert sum(lead["IsConverted"] for lead in leads) == counts["converted_leads"]
    assert any(o["StageName"] == "Closed Won" and o["IsWon"] for o in opportunities)
    assert store.count("OpportunityContactRole") > 0
    assert {"USA", "Germany"} <= countries
    assert {c["CreatedById"] for c in store.all("Contact")}.isdisjoint(
        {emulator.integration_user_id}
    )


def test_same_seed_same_data():
    first, second = Emulator(seed=3), Emulator(seed=3)
    first.seed_sample_data(accounts=5, contacts=10, leads=5, opportunities=3)
    second.seed_sample_data(accounts=5, contacts=10, leads=5, opportunities=3)

    assert _snapshot(first) == _snapshot(second)


def test_sample_data_with_state_country_picklists_uses_valid_codes():
    emulator = Emulator(seed=5, state_country_picklists=True)

    emulator.seed_sample_data(accounts=10, contacts=10, leads=10, opportunities=5)

    codes = {a["BillingCountryCode"] for a in emulator.store.all("Account")}
    assert codes <= {"US", "DE", "GB", "CA", "AU", "FR"}
