from .models import StoreSettings


def store_settings(request) -> dict:
    """The store currency for money shown on every page (read lazily: one query, only if used)."""
    return {"store_settings": _LazyStoreSettings()}


class _LazyStoreSettings:
    _loaded = None

    def __getattr__(self, name: str):
        if self._loaded is None:
            self._loaded = StoreSettings.load()
        return getattr(self._loaded, name)
