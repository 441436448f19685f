"""An installed app whose tasks module raises on import (Django's ``InvalidTask``)."""
