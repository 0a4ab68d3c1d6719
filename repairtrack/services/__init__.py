"""The services every way in (the command line, the dashboard, the HTTP API) calls alike: import, export,
maintenance (backup, restore, forget, rebuild), the demo generator, encryption keys and remote access.

They take plain values and `Services` from the composition root (`repairtrack.bootstrap`) and return plain
values; none of them prints or knows who is calling."""
