"""Settings are composed from one module per concern; every value comes from the environment."""
# ruff: noqa: I001  -- order matters: later modules build on base and may override it

from .base import *  # noqa: F403
from .accounts import *  # noqa: F403
from .cache import *  # noqa: F403
from .database import *  # noqa: F403
from .security import *  # noqa: F403
from .storage import *  # noqa: F403
from .signing import *  # noqa: F403
from .publicinfo import *  # noqa: F403
from .interaction import *  # noqa: F403
from .tasks import *  # noqa: F403
