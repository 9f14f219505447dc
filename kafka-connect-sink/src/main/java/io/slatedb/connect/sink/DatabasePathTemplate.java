package io.slatedb.connect.sink;

import io.slatedb.DbPaths;

import java.util.Optional;

/**
 * The {@value SlateDbSinkConfig#PATH} setting: a database path in which {@value SlateDbSinkConfig#TOPIC_VARIABLE}
 * and {@value SlateDbSinkConfig#PARTITION_VARIABLE} stand for a record's topic and partition.
 */
record DatabasePathTemplate(String template) {

    /**
     * @throws IllegalArgumentException saying what is wrong when {@code template} has another variable or
     *                                  does not make a database path
     */
    static DatabasePathTemplate parse(String template) {
        String rest = template.replace(SlateDbSinkConfig.TOPIC_VARIABLE, "").replace(SlateDbSinkConfig.PARTITION_VARIABLE, "");
        if (rest.contains("${")) {
            throw new IllegalArgumentException("only " + SlateDbSinkConfig.TOPIC_VARIABLE + " and "
                    + SlateDbSinkConfig.PARTITION_VARIABLE + " may appear as variables");
        }
        DatabasePathTemplate parsed = new DatabasePathTemplate(template);
        Optional<String> problem = DbPaths.problem(parsed.render("topic", 0));
        if (problem.isPresent()) {
            throw new IllegalArgumentException("not a database path: " + problem.get());
        }
        return parsed;
    }

    /** The path of the database that holds {@code topic}'s partition {@code partition}. */
    String render(String topic, int partition) {
        return template.replace(SlateDbSinkConfig.TOPIC_VARIABLE, topic)
                .replace(SlateDbSinkConfig.PARTITION_VARIABLE, Integer.toString(partition));
    }

    /** Whether every topic partition gets a database of its own, so that several tasks can write. */
    boolean perTopicPartition() {
        return template.contains(SlateDbSinkConfig.TOPIC_VARIABLE) && template.contains(SlateDbSinkConfig.PARTITION_VARIABLE);
    }
}
