// The BI client test (DESIGN §4): do what a BI tool (Metabase, Superset,
// Tableau, Power BI through JDBC) does when it syncs a database, against
// schema mops, through the PostgreSQL JDBC driver.
//
//   1. DatabaseMetaData.getTables(null, "mops", "%", kinds): the relations;
//   2. getColumns for each: every column's java.sql.Types code, the
//      PostgreSQL type name and the comment (REMARKS);
//   3. SELECT * FROM mops."<relation>" LIMIT 100, every value read with
//      getObject, as a BI tool fills a preview or a chart.
//
// Views (and materialized views) are what BI users chart, so for them:
//   - every column must have a chartable type (see CHARTABLE below), both
//     in DatabaseMetaData.getColumns and in the query's ResultSetMetaData;
//   - the view and every column must have a comment (BI tools show it);
//   - the query must run and every value must read, also with the typed getter
//     a BI tool uses for the column's type (getBigDecimal, getObject(i,
//     LocalDate.class), ...).
// Tables are the ETL data contract: DESIGN gives some of them text[],
// daterange and mops-typed columns on purpose, so their types are only
// listed; their query and getObject reads must still succeed.
//
// Usage: java -cp <build>:/usr/share/java/postgresql.jar BiSync [JDBC-URL]
// Without an argument the URL comes from MOPS_JDBC_URL, else it is
// jdbc:postgresql://127.0.0.1:$MOPS_PGPORT/$PGDATABASE?user=postgres
// (defaults 54315 and postgres).  Optional: MOPS_JDBC_QUERY_TIMEOUT, seconds
// per query (default 300).
//
// Exit status: 0 all checks passed (also when the schema has no views yet),
// 1 a check failed, 2 usage or connection error.

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

public final class BiSync {
	static final String SCHEMA = "mops";
	static final int ROW_LIMIT = 100;

	// Relation kinds as pgjdbc's getTables names them.  BI tools sync more
	// than plain tables and views (Metabase also asks for materialized views,
	// partitioned and foreign tables), so do we.
	static final Set<String> VIEW_KINDS = Set.of("VIEW", "MATERIALIZED VIEW");
	static final Set<String> TABLE_KINDS = Set.of("TABLE", "PARTITIONED TABLE", "FOREIGN TABLE");

	// JDBC types a BI tool can group by, filter on and chart: numbers,
	// strings, booleans, dates and times.  Everything else is not chartable:
	// OTHER (pgjdbc's type for json/jsonb, uuid, interval, ranges, mops's own
	// base types and any type it does not know), ARRAY, STRUCT (composites),
	// DISTINCT (domains), JAVA_OBJECT, NULL, REF, DATALINK, ROWID, SQLXML,
	// binary and LOB types.
	static final Set<Integer> CHARTABLE = Set.of(
		Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT,
		Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL,
		Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR,
		Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
		Types.BIT, Types.BOOLEAN,
		Types.DATE, Types.TIME, Types.TIME_WITH_TIMEZONE,
		Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE);

	// PostgreSQL types whose JDBC type looks chartable but whose values are
	// not: pgjdbc reports money as DOUBLE and parses its text, which depends
	// on lc_monetary ("$1,000.00", "1.000,00 €"), so it breaks in other
	// locales.  DESIGN §4: views use numeric for amounts.
	static final Set<String> UNCHARTABLE_PG_TYPES = Set.of("money");

	static boolean chartable(int jdbcType, String pgType) {
		return CHARTABLE.contains(jdbcType) && !UNCHARTABLE_PG_TYPES.contains(pgType);
	}

	static final class Column {
		final String name;
		final int jdbcType;
		final String pgType;
		final String remarks;

		Column(String name, int jdbcType, String pgType, String remarks) {
			this.name = name;
			this.jdbcType = jdbcType;
			this.pgType = pgType;
			this.remarks = remarks;
		}
	}

	static final class Relation {
		final String name;
		final String kind;
		final String remarks;
		final List<Column> columns = new ArrayList<>();

		Relation(String name, String kind, String remarks) {
			this.name = name;
			this.kind = kind;
			this.remarks = remarks;
		}

		boolean isView() {
			return VIEW_KINDS.contains(kind);
		}
	}

	final List<String> failures = new ArrayList<>();
	int queryTimeout = 300;

	static String typeName(int jdbcType) {
		try {
			return JDBCType.valueOf(jdbcType).getName();
		} catch (IllegalArgumentException e) {
			return "Types(" + jdbcType + ")";
		}
	}

	static boolean blank(String s) {
		return s == null || s.isBlank();
	}

	static String quoteIdent(String s) {
		return "\"" + s.replace("\"", "\"\"") + "\"";
	}

	static String qualified(String relation) {
		return quoteIdent(SCHEMA) + "." + quoteIdent(relation);
	}

	void fail(String relation, String message) {
		failures.add(SCHEMA + "." + relation + ": " + message);
		System.out.println("    FAIL: " + message);
	}

	static String firstLine(SQLException e) {
		String m = String.valueOf(e.getMessage());
		int nl = m.indexOf('\n');
		String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
		return (nl < 0 ? m : m.substring(0, nl)) + state;
	}

	List<Relation> listRelations(DatabaseMetaData md) throws SQLException {
		List<Relation> relations = new ArrayList<>();
		List<String> kinds = new ArrayList<>(TABLE_KINDS);
		kinds.addAll(VIEW_KINDS);
		try (ResultSet rs = md.getTables(null, SCHEMA, "%", kinds.toArray(new String[0]))) {
			while (rs.next()) {
				// getTables matches the schema as a LIKE pattern: keep exact matches.
				if (!SCHEMA.equals(rs.getString("TABLE_SCHEM")))
					continue;
				relations.add(new Relation(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"),
						rs.getString("REMARKS")));
			}
		}
		for (Relation r : relations) {
			try (ResultSet rs = md.getColumns(null, SCHEMA, r.name, "%")) {
				while (rs.next()) {
					if (!SCHEMA.equals(rs.getString("TABLE_SCHEM")) || !r.name.equals(rs.getString("TABLE_NAME")))
						continue;
					r.columns.add(new Column(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
							rs.getString("TYPE_NAME"), rs.getString("REMARKS")));
				}
			}
		}
		return relations;
	}

	static void describe(Relation r) {
		StringBuilder line = new StringBuilder();
		line.append(r.kind).append(' ').append(SCHEMA).append('.').append(r.name).append(" (");
		for (int i = 0; i < r.columns.size(); i++) {
			Column c = r.columns.get(i);
			if (i > 0)
				line.append(", ");
			line.append(c.name).append(' ').append(typeName(c.jdbcType)).append('/').append(c.pgType);
		}
		line.append(')');
		System.out.println(line);
	}

	// The metadata checks of a view: types and comments.
	void checkViewMetadata(Relation r) {
		if (r.columns.isEmpty())
			fail(r.name, "no columns reported by DatabaseMetaData.getColumns");
		if (blank(r.remarks))
			fail(r.name, "the view has no comment (COMMENT ON " + r.kind + ")");
		for (Column c : r.columns) {
			if (!chartable(c.jdbcType, c.pgType))
				fail(r.name, "column " + c.name + " has JDBC type " + typeName(c.jdbcType) + " (PostgreSQL "
						+ c.pgType + "), which a BI tool cannot chart");
			if (blank(c.remarks))
				fail(r.name, "column " + c.name + " has no comment (COMMENT ON COLUMN)");
		}
	}

	// Read one value with the getter a BI tool uses for the column's JDBC type
	// (Metabase's sql-jdbc driver picks the getter by type like this).
	static void typedRead(ResultSet rs, int i, int jdbcType, String pgType) throws SQLException {
		switch (jdbcType) {
		case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> rs.getLong(i);
		case Types.REAL, Types.FLOAT, Types.DOUBLE -> rs.getDouble(i);
		case Types.NUMERIC, Types.DECIMAL -> rs.getBigDecimal(i);
		case Types.BIT, Types.BOOLEAN -> rs.getBoolean(i);
		case Types.DATE -> rs.getObject(i, LocalDate.class);
		case Types.TIME -> {
			if ("timetz".equals(pgType))
				rs.getObject(i, OffsetTime.class);
			else
				rs.getObject(i, LocalTime.class);
		}
		case Types.TIME_WITH_TIMEZONE -> rs.getObject(i, OffsetTime.class);
		case Types.TIMESTAMP -> {
			// pgjdbc reports timestamptz as TIMESTAMP; it reads as OffsetDateTime.
			if ("timestamptz".equals(pgType))
				rs.getObject(i, OffsetDateTime.class);
			else
				rs.getObject(i, LocalDateTime.class);
		}
		case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i, OffsetDateTime.class);
		default -> rs.getString(i);
		}
	}

	// SELECT * ... LIMIT 100 and read every value.  For a view, also check the
	// result's metadata against the chartable rule and getColumns.
	void query(Connection conn, Relation r) {
		String sql = "SELECT * FROM " + qualified(r.name) + " LIMIT " + ROW_LIMIT;
		int rows = 0;
		try (Statement st = conn.createStatement()) {
			st.setQueryTimeout(queryTimeout);
			try (ResultSet rs = st.executeQuery(sql)) {
				ResultSetMetaData rmd = rs.getMetaData();
				int n = rmd.getColumnCount();
				int[] types = new int[n + 1];
				String[] pgTypes = new String[n + 1];
				for (int i = 1; i <= n; i++) {
					types[i] = rmd.getColumnType(i);
					pgTypes[i] = rmd.getColumnTypeName(i);
				}
				if (r.isView()) {
					if (n != r.columns.size())
						fail(r.name, "the query returns " + n + " columns, getColumns reported " + r.columns.size());
					for (int i = 1; i <= n; i++) {
						String label = rmd.getColumnLabel(i);
						if (!chartable(types[i], pgTypes[i]))
							fail(r.name, "result column " + label + " has JDBC type " + typeName(types[i])
									+ " (PostgreSQL " + pgTypes[i] + ") in ResultSetMetaData, which a BI tool cannot chart");
						if (i <= r.columns.size()) {
							Column c = r.columns.get(i - 1);
							if (!c.name.equals(label))
								fail(r.name, "result column " + i + " is " + label + ", getColumns reported " + c.name);
							else if (c.jdbcType != types[i])
								System.out.println("    note: column " + label + " is " + typeName(c.jdbcType)
										+ " in getColumns but " + typeName(types[i]) + " in ResultSetMetaData");
						}
					}
				}
				while (rs.next()) {
					rows++;
					for (int i = 1; i <= n; i++) {
						try {
							rs.getObject(i);
							if (r.isView())
								typedRead(rs, i, types[i], pgTypes[i]);
						} catch (SQLException | RuntimeException e) {
							String msg = e instanceof SQLException se ? firstLine(se) : e.toString();
							fail(r.name, "row " + rows + ", column " + rmd.getColumnLabel(i) + ": cannot read the value: " + msg);
							return;
						}
					}
				}
			}
			System.out.println("    query: " + sql + " -> " + rows + " row(s), every value read");
		} catch (SQLException e) {
			fail(r.name, sql + " failed: " + firstLine(e));
		} finally {
			// Each relation in its own read-only transaction: a failure
			// leaves the next relation unaffected.
			try {
				conn.rollback();
			} catch (SQLException e) {
				fail(r.name, "rollback failed: " + firstLine(e));
			}
		}
	}

	int run(String url) {
		Properties props = new Properties();
		props.setProperty("ApplicationName", "mops-bi-sync");
		Connection conn;
		try {
			conn = DriverManager.getConnection(url, props);
		} catch (SQLException e) {
			System.out.println("bi-sync: cannot connect to " + url + ": " + firstLine(e));
			return 2;
		}
		try (conn) {
			// BI tools query through read-only connections; a view that
			// writes fails here.
			conn.setAutoCommit(false);
			conn.setReadOnly(true);
			DatabaseMetaData md = conn.getMetaData();
			System.out.println("bi-sync: " + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion()
					+ " through " + md.getDriverName() + " " + md.getDriverVersion());

			boolean schemaExists = false;
			try (ResultSet rs = md.getSchemas(null, SCHEMA)) {
				while (rs.next())
					schemaExists |= SCHEMA.equals(rs.getString("TABLE_SCHEM"));
			}
			if (!schemaExists) {
				System.out.println("bi-sync: FAIL: schema " + SCHEMA + " does not exist (is the extension created?)");
				return 1;
			}

			List<Relation> relations = listRelations(md);
			conn.rollback();
			int views = 0, tables = 0;
			for (Relation r : relations) {
				describe(r);
				if (r.isView()) {
					views++;
					checkViewMetadata(r);
				} else {
					tables++;
				}
				query(conn, r);
			}
			if (views == 0)
				System.out.println("bi-sync: note: schema " + SCHEMA
						+ " has no views yet; only the tables were read (nothing to chart-check)");
			System.out.println("bi-sync: " + views + " view(s) checked, " + tables + " table(s) read, "
					+ failures.size() + " failure(s)");
			if (!failures.isEmpty()) {
				System.out.println("bi-sync: failures:");
				for (String f : failures)
					System.out.println("  " + f);
				return 1;
			}
			return 0;
		} catch (SQLException e) {
			System.out.println("bi-sync: FAIL: " + firstLine(e));
			return 1;
		}
	}

	static String env(String name, String dflt) {
		String v = System.getenv(name);
		return blank(v) ? dflt : v;
	}

	public static void main(String[] args) {
		if (args.length > 1) {
			System.err.println("usage: java BiSync [JDBC-URL]");
			System.exit(2);
		}
		String url = args.length == 1 ? args[0] : System.getenv("MOPS_JDBC_URL");
		if (blank(url))
			url = "jdbc:postgresql://127.0.0.1:" + env("MOPS_PGPORT", "54315") + "/" + env("PGDATABASE", "postgres")
					+ "?user=postgres";
		BiSync sync = new BiSync();
		try {
			sync.queryTimeout = Integer.parseInt(env("MOPS_JDBC_QUERY_TIMEOUT", "300"));
		} catch (NumberFormatException e) {
			System.err.println("bi-sync: MOPS_JDBC_QUERY_TIMEOUT must be a number of seconds");
			System.exit(2);
		}
		System.exit(sync.run(url));
	}
}
