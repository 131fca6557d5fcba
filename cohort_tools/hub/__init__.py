"""The live cohort: a real JupyterHub 6 on one machine, from a cohort file (``cda hub``).

* :mod:`.accounts` - who gets an account: pseudonymous user names from the roster, checked as
  system user names; system users and their groups.
* :mod:`.plan` - everything one hub needs, decided and checked before anything is written
  (typed; saved as ``hub.json`` in the hub's state folder, read by the hub's configuration).
* :mod:`.jhconfig` - turns the plan into JupyterHub configuration (runs inside the hub).
* :mod:`.spawner` - LocalProcessSpawner with real users, plus per-user memory limits through the
  kernel's cgroups where the machine lets the hub write them.
* :mod:`.environment` - the hub environment (a virtualenv every user can read) and the proxy.
* :mod:`.process` - start, stop and status of the hub process; one hub per cohort.
* :mod:`.api` - the verbs, keyword-only; :mod:`.cli` - ``cda hub ...``.
"""
