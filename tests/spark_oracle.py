"""Apache Spark as the Databricks-semantics oracle of the tests (never used at run time).

Spark is the open-source core of the Databricks Runtime: the same SQL parser family, ANSI mode, function
library and SQL-scripting compound statements. It lacks Delta (MERGE, identity columns), procedures,
streaming tables and materialized views; those are checked against the documented rules instead.

One local Spark session serves a whole test run. Where no JDK is installed the tests that need it skip
with one line saying so.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

# What a skipped oracle test says, once, when this machine cannot start Spark.
NO_JDK = (
    "the Spark oracle needs a Java 17+ runtime (JAVA_HOME or `java` on PATH), "
    "e.g. apt-get install openjdk-17-jre-headless"
)

# Settings that make the session answer as a Databricks SQL warehouse does: ANSI mode (the warehouse
# default), UTC session time zone (the warehouse default, and what the local target uses), and small
# local resources so a test run starts it in seconds.
SESSION_CONFIG = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.catalogImplementation": "in-memory",
    "spark.driver.memory": "1g",
    "spark.sql.scripting.enabled": "true",
    # The tests run many small queries in a short-lived JVM: compiling generated code per query, and
    # the JIT's optimising tier, cost more CPU than they save (measured: the oracle tests used 128 s
    # of JVM CPU with both, 73 s without). Results are the same either way.
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    # Adaptive query execution re-plans a query at run time from the sizes of its stages; the tests' tables
    # are a few hundred rows, so it only adds planning work (about a tenth of the JVM's CPU). Answers are
    # the same either way.
    "spark.sql.adaptive.enabled": "false",
    # Constraint propagation infers extra filters from every predicate of a plan; on the project's wide,
    # nested queries that inference is a tenth of the JVM's CPU (measured: the three heaviest oracle tests
    # 91-93 s of JVM CPU with it, 82-83 s without). It only adds filters that hold anyway: same answers.
    "spark.sql.constraintPropagation.enabled": "false",
}


def java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def start_spark(warehouse: Path | None = None) -> Any:
    """A local Spark session configured like a Databricks SQL warehouse; raises if Spark cannot start."""
    from pyspark.sql import SparkSession

    if warehouse is None:
        warehouse = Path(tempfile.mkdtemp(prefix="spark-warehouse-"))
        atexit.register(shutil.rmtree, warehouse, ignore_errors=True)  # the tables written there go with it
    builder = SparkSession.builder.master("local[2]").appName("lakehouse-oracle")
    for key, value in {**SESSION_CONFIG, "spark.sql.warehouse.dir": str(warehouse)}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
