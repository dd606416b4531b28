"""Citus: the database as the coordinator of a cluster with schema-based sharding.

With `DATABASE_CITUS` on, every tenant schema is a distributed schema (Citus 12+): its tables
live together on one worker, queries under its `search_path` are routed there, and the
public schema (tenants, the tracking-code index, the registry, billing) stays on the
coordinator. What differs from a single PostgreSQL is here: preparing a database on every
node, the node of each schema, moving one and rebalancing all.

Everything takes a DB-API cursor or a URL and no Django model, so the cluster script and the
benchmark use it as the product does.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

# A tenant schema's node: the placement of its tables' shards (all on one node, colocated).
SCHEMA_NODES_SQL = """
SELECT ds.schemaid::regnamespace::text, n.nodename, n.nodeport
FROM pg_dist_schema ds
JOIN LATERAL (SELECT p.logicalrelid FROM pg_dist_partition p WHERE p.colocationid = ds.colocationid
              ORDER BY p.logicalrelid LIMIT 1) t ON true
JOIN pg_dist_shard s ON s.logicalrelid = t.logicalrelid
JOIN pg_dist_placement pl ON pl.shardid = s.shardid
JOIN pg_dist_node n ON n.groupid = pl.groupid
"""


def url_with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def cluster_workers(coordinator_url: str) -> list[tuple[str, int]]:
    """The workers the cluster script added in the coordinator's `postgres` database: the
    cluster's list of nodes, which every new database copies."""
    with _connect(url_with_database(coordinator_url, "postgres")) as conn:
        rows = conn.execute(
            "SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 AND isactive ORDER BY nodeport"
        ).fetchall()
    return [(host, int(port)) for host, port in rows]


def _node_url(coordinator_url: str, host: str, port: int, database: str) -> str:
    parts = urlsplit(coordinator_url)
    netloc = parts.netloc.rsplit("@", 1)
    credentials = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{credentials}{host}:{port}", path="/" + database))


def database_create(coordinator_url: str, *, drop: bool = False) -> None:
    """Create the database of `coordinator_url` on the coordinator and on every worker, with
    the citus extension in each, the workers added, and schema-based sharding on for it."""
    database = urlsplit(coordinator_url).path.lstrip("/")
    coordinator = urlsplit(coordinator_url)
    workers = cluster_workers(coordinator_url)
    nodes = [(coordinator.hostname or "localhost", coordinator.port or 5432)] + workers
    for host, port in nodes:
        with _connect(_node_url(coordinator_url, host, port, "postgres")) as conn:
            if drop:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{database}"')
        with _connect(_node_url(coordinator_url, host, port, database)) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
    with _connect(coordinator_url) as conn:
        conn.execute("SELECT citus_set_coordinator_host(%s, %s)", [nodes[0][0], nodes[0][1]])
        conn.execute(f'ALTER DATABASE "{database}" SET citus.enable_schema_based_sharding TO on')
    for host, port in workers:
        _node_add(coordinator_url, host, port)


ADD_NODE_ATTEMPTS = 10


def _node_add(coordinator_url: str, host: str, port: int) -> None:
    """citus_add_node, unless the node is known. Citus's metadata sync to a database just
    created on the worker fails now and then ("failure on connection marked as essential",
    citusdata/citus#7830, seen in CI while another database was being made beside it); the
    call is one transaction, so it is made again on a new connection until the node is in."""
    for attempt in range(1, ADD_NODE_ATTEMPTS + 1):
        try:
            with _connect(coordinator_url) as conn:
                known = conn.execute("SELECT 1 FROM pg_dist_node WHERE nodename = %s AND nodeport = %s", [host, port]).fetchone()
                if not known:
                    conn.execute("SELECT citus_add_node(%s, %s)", [host, port])
                return
        except psycopg.errors.InternalError:
            if attempt == ADD_NODE_ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)


def database_drop(coordinator_url: str) -> None:
    """Drop the database of `coordinator_url` on the coordinator and every worker."""
    database = urlsplit(coordinator_url).path.lstrip("/")
    coordinator = urlsplit(coordinator_url)
    nodes = [(coordinator.hostname or "localhost", coordinator.port or 5432)] + cluster_workers(coordinator_url)
    for host, port in nodes:
        with _connect(_node_url(coordinator_url, host, port, "postgres")) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def schema_nodes(cursor) -> dict[str, str]:
    """Each distributed schema's node, as "host:port"."""
    cursor.execute(SCHEMA_NODES_SQL)
    return {schema: f"{host}:{port}" for schema, host, port in cursor.fetchall()}


def worker_nodes(cursor) -> list[str]:
    cursor.execute(
        "SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 AND isactive AND shouldhaveshards ORDER BY nodeport"
    )
    return [f"{host}:{port}" for host, port in cursor.fetchall()]


def schema_move(cursor, *, schema: str, node: str, block_writes: bool = False) -> None:
    """Move one distributed schema (all its tables) to `node` ("host:port"). Without
    `block_writes`, logical replication copies it while writes go on, then they wait a
    moment for the switch (needs `wal_level = logical`)."""
    host, port = node.rsplit(":", 1)
    mode = "block_writes" if block_writes else "force_logical"
    cursor.execute(
        "SELECT citus_schema_move(%s::regnamespace, %s, %s, shard_transfer_mode => %s::citus.shard_transfer_mode)",
        [schema, host, int(port), mode],
    )


def rebalance(cursor, *, block_writes: bool = False) -> int:
    """Balance the schemas over the workers (Citus's own rebalancer, by disk use) and wait
    for it; the number of moves it planned."""
    mode = "block_writes" if block_writes else "force_logical"
    cursor.execute("SELECT count(*) FROM get_rebalance_table_shards_plan()")
    planned = cursor.fetchone()[0]
    cursor.execute("SELECT rebalance_table_shards(shard_transfer_mode => %s::citus.shard_transfer_mode)", [mode])
    return planned
