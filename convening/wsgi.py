import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convening.settings")
application = get_wsgi_application()


def settle_heap() -> None:
    """Move everything alive now (Django, the URL conf, templates) out of the garbage
    collector's reach: full collections then scan only what requests allocate, which takes
    the long pauses out of large pages. Gunicorn workers run this once, at start-up."""
    gc.collect()
    gc.freeze()


settle_heap()
