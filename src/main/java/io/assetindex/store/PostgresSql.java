package io.assetindex.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL's connections ({@link PostgresConnections}) do to the statements the store
 * writes once for both databases: they drop what only steers SQLite's planner, and read SQLite's
 * numbered parameters. Nothing here changes what a statement means; where the meaning differs,
 * the store asks its {@link Dialect} instead.
 *
 * <ul>
 *   <li>{@code INDEXED BY name} goes (PostgreSQL plans from statistics);</li>
 *   <li>{@code CROSS JOIN t ON ...}, SQLite's way of fixing the join order, is a plain {@code JOIN};</li>
 *   <li>a unary {@code +} before a column (SQLite's way of keeping an index out) goes;</li>
 *   <li>{@code ?N} numbered parameters become plain ones, and setting parameter N sets each place it
 *       appears (the driver knows only plain ones).</li>
 * </ul>
 *
 * The statements must hold no {@code ?} and none of these words inside a quoted literal.
 */
final class PostgresSql {
    private static final Pattern INDEXED_BY = Pattern.compile("\\s+INDEXED\\s+BY\\s+\\w+", Pattern.CASE_INSENSITIVE);
    private static final Pattern CROSS_JOIN = Pattern.compile("\\bCROSS\\s+JOIN\\b(?=[^;]*?\\bON\\b)");
    private static final Pattern UNARY_PLUS = Pattern.compile("(?<=\\b(?:WHERE|AND|OR|ON)\\s)\\+(?=[a-z_]+\\.?[a-z_]*\\b)");
    private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

    private PostgresSql() {}

    /** The statement without SQLite's planner hints. */
    static String adapt(String sql) {
        String out = INDEXED_BY.matcher(sql).replaceAll("");
        out = CROSS_JOIN.matcher(out).replaceAll("JOIN");
        return UNARY_PLUS.matcher(out).replaceAll("");
    }

    /** Whether the statement uses numbered parameters. */
    static boolean numbered(String sql) {
        return NUMBERED.matcher(sql).find();
    }

    /** Where each numbered parameter of {@code sql} goes among the plain ones of {@link #plain}. */
    static Map<Integer, List<Integer>> places(String sql) {
        Map<Integer, List<Integer>> places = new HashMap<>();
        Matcher numbered = NUMBERED.matcher(sql);
        int place = 0;
        while (numbered.find()) {
            places.computeIfAbsent(Integer.parseInt(numbered.group(1)), n -> new ArrayList<>()).add(++place);
        }
        return places;
    }

    /** The statement with a plain {@code ?} for each numbered one. */
    static String plain(String sql) {
        return NUMBERED.matcher(sql).replaceAll("?");
    }

    /** A statement prepared from {@link #plain} whose {@code setX(N, value)} sets every place of parameter N. */
    static PreparedStatement numbered(PreparedStatement statement, Map<Integer, List<Integer>> places) {
        return (PreparedStatement) Proxy.newProxyInstance(PostgresSql.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    try {
                        if (method.getName().startsWith("set") && args != null && args.length >= 2
                                && args[0] instanceof Integer number && places.containsKey(number)) {
                            Object result = null;
                            for (int at : places.get(number)) {
                                Object[] moved = args.clone();
                                moved[0] = at;
                                result = method.invoke(statement, moved);
                            }
                            return result;
                        }
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A plain statement whose SQL is adapted as it runs. */
    static Statement adapting(Statement statement) {
        return (Statement) Proxy.newProxyInstance(PostgresSql.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    try {
                        if (args != null && args.length >= 1 && args[0] instanceof String sql
                                && (method.getName().startsWith("execute") || method.getName().equals("addBatch"))) {
                            Object[] adapted = args.clone();
                            adapted[0] = adapt(sql);
                            return method.invoke(statement, adapted);
                        }
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
