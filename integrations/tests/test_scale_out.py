"""The scale-out services really work: PostgreSQL as the database, Redis as the broker."""

import pytest
from django.db import connection as db
from django_q.brokers import get_broker
from django_q.conf import Conf

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_database_url_selects_postgresql(postgres_url):
    assert postgres_url.startswith("postgres")
    assert db.vendor == "postgresql"
    with db.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


@pytest.mark.redis
def test_redis_url_selects_the_redis_broker_and_tasks_round_trip(redis_url):
    # given
    assert Conf.REDIS
    broker = get_broker(list_key="crmbridge-test-roundtrip")
    broker.purge_queue()
    # when
    broker.enqueue("payload-1")
    task = broker.dequeue()
    # then
    assert broker.__class__.__name__ == "Redis"
    assert task[0][1] == b"payload-1"
    broker.purge_queue()
