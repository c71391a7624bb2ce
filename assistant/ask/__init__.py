"""Ask: question -> `Query` (query.py) -> hits -> `Support` (support.py) -> answer (offline.py / llm.py),
wired in answerer.py. Import from here: `from assistant.ask import Answerer, Answer, Citation, NO_SUPPORT`."""

from .answerer import Answerer
from .models import NO_SUPPORT, Answer, Citation, Lead
from .query import Query
from .support import Support

__all__ = ["Answerer", "Answer", "Citation", "Lead", "NO_SUPPORT", "Query", "Support"]
