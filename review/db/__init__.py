"""Storage: ORM tables, engines and sessions, the text rule both databases share, and
database faults said in words."""
