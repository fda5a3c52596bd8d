"""How an instance's SpiffWorkflow state becomes the JSON in ``instances.state`` and back.

Kept apart from the commands and queries because it is the one place that depends on
SpiffWorkflow's serializer format (which changes between minor versions: the version is
pinned and stored with every state), and because of the spec reference below.
"""

from __future__ import annotations

import importlib.metadata
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Connection

from engine.conditions import SafeScriptEngine
from engine.definitions import Definitions
from engine.errors import EngineError, ExecutionFailed

SPIFF_VERSION = importlib.metadata.version("SpiffWorkflow")

SPEC_REF = "AlurSpecRef"
"""Typename of the reference the store keeps instead of an instance's whole process spec."""


def workflow_serializer(spec_loader: Callable[[str], Any] | None = None) -> Any:
    """SpiffWorkflow's serializer with the Camunda registry.

    With ``spec_loader`` (sha256 -> parsed spec), a process spec that came from the spec cache
    (it carries ``alur_sha256``) is written as ``{"typename": "AlurSpecRef", "sha256": ...}``
    and read back as the cached spec object: SpiffWorkflow would otherwise embed the whole spec
    (about 80 % of the state) in every instance and rebuild it on every load. Specs are not
    changed while workflows run, so one object serves every instance. States holding a full
    spec (written without a loader) still load.
    """
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
    from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG

    registry = BpmnWorkflowSerializer.configure(DEFAULT_CONFIG)
    if spec_loader is not None:
        loader = spec_loader
        typename = registry.typenames[BpmnProcessSpec]
        full = registry.convert_to_dict[typename]

        def to_dict(spec: Any, **kwargs: Any) -> dict[str, Any]:
            sha = getattr(spec, "alur_sha256", None)
            if sha is None:
                return full(spec, **kwargs)
            return {"typename": SPEC_REF, "sha256": sha}

        def from_dict(dct: dict[str, Any], **kwargs: Any) -> Any:
            return loader(dct["sha256"])

        registry.convert_to_dict[typename] = to_dict
        registry.convert_from_dict[SPEC_REF] = from_dict
    return BpmnWorkflowSerializer(registry)


class WorkflowCodec:
    """Dump and load workflows for one runtime: spec references resolved through
    ``definitions``, every loaded workflow given the safe script engine."""

    def __init__(self, definitions: Definitions, script_engine: SafeScriptEngine) -> None:
        self.definitions = definitions
        self.script_engine = script_engine
        self._local = threading.local()

    @property
    def serializer(self) -> Any:
        """This thread's SpiffWorkflow serializer: its registry keeps a mode flag while
        serializing, so one instance must not be shared by threads (web server workers)."""
        found = getattr(self._local, "serializer", None)
        if found is None:
            found = self._local.serializer = workflow_serializer(self._cached_spec)
        return found

    @property
    def version(self) -> str:
        """The serializer format version stored beside every state."""
        return str(self.serializer.VERSION)

    def _cached_spec(self, sha256: str) -> Any:
        conn = getattr(self._local, "conn", None)
        return self.definitions.spec_by_sha(sha256, conn)[0]

    def dump(self, workflow: Any) -> str:
        return str(self.serializer.serialize_json(workflow))

    def load(self, state: str, conn: Connection | None = None) -> Any:
        """The workflow of a stored state; an unreadable state is an :class:`ExecutionFailed`.

        ``conn``: a spec cache miss reads the definition through the caller's transaction.
        """
        self._local.conn = conn
        try:
            workflow = self.serializer.deserialize_json(state)
        except EngineError:
            raise
        except Exception as exc:  # corrupt row, or a serializer format this version cannot read
            raise ExecutionFailed(
                f"Status proses tidak dapat dibaca ({type(exc).__name__}); hubungi admin"
            ) from None
        finally:
            self._local.conn = None
        workflow.script_engine = self.script_engine
        return workflow
