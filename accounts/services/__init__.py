"""Writes to accounts, by concern: one account and its holders (accounts), the one write
path of planned changes (bulk), API keys, and the store's settings.

Every channel — forms, API, import, commands — writes through these, never through the
ORM directly, so each rule and each history row is the same whatever the channel.
"""

from .accounts import (
    SavedChange,
    add_holder,
    change_account,
    close_account,
    open_account,
    remove_holder,
    save_change,
)
from .api_keys import api_token_digest, create_api_key, find_api_key, revoke_api_key
from .bulk import write_planned_changes
from .store_settings import update_store_settings

__all__ = [
    "SavedChange",
    "add_holder",
    "api_token_digest",
    "change_account",
    "close_account",
    "create_api_key",
    "find_api_key",
    "open_account",
    "remove_holder",
    "revoke_api_key",
    "save_change",
    "update_store_settings",
    "write_planned_changes",
]
