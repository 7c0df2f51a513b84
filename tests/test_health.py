import pytest

from tests.servers import free_port


@pytest.mark.django_db
def test_it_answers_ok_to_anyone_in_the_embedded_profile(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_it_answers_503_when_redis_is_down(client, settings):
    down = f"redis://127.0.0.1:{free_port()}/0"
    settings.REDIS_URL = down
    # The cache is asked through Django's own client, as sign-in lockout and rate limits use it.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": down}
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [down]},
        }
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "database": "ok",
        "channel_layer": "down",
        "cache": "down",
    }
