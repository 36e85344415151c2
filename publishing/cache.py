"""Django's RedisCache, except that a Redis that is down or slow is a cache miss.

Everything kept in Redis here (pages, fragments, computed values) can be rendered
again, so a cache error must cost speed, never a page: with plain RedisCache a Redis
outage turns every page, the error pages included, into a 500.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _forgiving(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("Cache unavailable (%s); carrying on without it.", error)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


def _default_argument(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    get = _forgiving(_default_argument)(RedisCache.get)
    get_many = _forgiving({})(RedisCache.get_many)
    has_key = _forgiving(False)(RedisCache.has_key)
    add = _forgiving(False)(RedisCache.add)
    set = _forgiving(None)(RedisCache.set)
    set_many = _forgiving([])(RedisCache.set_many)
    touch = _forgiving(False)(RedisCache.touch)
    delete = _forgiving(False)(RedisCache.delete)
    delete_many = _forgiving(None)(RedisCache.delete_many)
