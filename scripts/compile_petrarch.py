"""Store the parsed PETRARCH2 actor dictionaries beside them (claimscope/data/petrarch/actors.compiled.json).

    python scripts/compile_petrarch.py

Run after editing any Phoenix.*.actors.txt: the compiled file records the files' hashes and is ignored
(the files are parsed at start-up, ~0.5 s slower) while they differ. tests/test_events.py checks it is current.
"""
from claimscope.resources.petrarch import COMPILED_ACTORS, write_compiled_actors

if __name__ == "__main__":
    print(f"wrote {write_compiled_actors()} actor phrases to {COMPILED_ACTORS}")
