"""How requests reach a model: the transport stack (real, recorded, replayed,
in-process), its token budget and its retry policy."""

__all__: list[str] = []
