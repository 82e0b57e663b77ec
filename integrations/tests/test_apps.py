"""What the integration plugs into tracking at start-up."""

import pytest

from integrations.models import SalesforceConnection
from tracking.hooks import salesforce_instance_url
from tracking.tests.factories import ContactFactory, SyncEventFactory
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db


def test_history_pages_link_salesforce_ids_to_the_connected_org(admin_client):
    # given: a connected org and a synced contact
    connection = SalesforceConnection.load()
    connection.instance_url = "https://acme.my.salesforce.com"
    connection.save()
    contact = ContactFactory(salesforce_id="003000000000001AAA", salesforce_object="Contact")
    SyncEventFactory(record=contact, salesforce_id="003000000000001AAA")
    # when
    html = admin_client.get(history_url(contact)).content.decode()
    # then
    assert salesforce_instance_url() == "https://acme.my.salesforce.com"
    assert 'href="https://acme.my.salesforce.com/003000000000001AAA"' in html


def test_before_connecting_there_is_no_org_to_link_to():
    assert salesforce_instance_url() == ""
