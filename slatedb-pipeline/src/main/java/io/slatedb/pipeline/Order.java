package io.slatedb.pipeline;

import java.io.Serializable;

/**
 * One order: a customer, an amount, and the fork it is meant for ({@link #ALL} for every job; a fork's
 * name for only that fork). On the topic the key is the customer and the value {@code amount} or
 * {@code amount@fork}.
 *
 * @param customer the customer, the key of the per-customer totals
 * @param amount the amount added to the customer's total
 * @param fork {@link #ALL}, or the one fork that takes the order
 */
public record Order(String customer, long amount, String fork) implements Serializable {

    /** The fork of an order every job takes. */
    public static final String ALL = "";

    /** The topic value of this order. */
    public String value() {
        return fork.isEmpty() ? Long.toString(amount) : amount + "@" + fork;
    }

    /** Whether a job running as {@code jobFork} ({@link #ALL} for the original job) takes this order. */
    public boolean isFor(String jobFork) {
        return fork.isEmpty() || fork.equals(jobFork);
    }

    /**
     * Parses a topic record.
     *
     * @throws IllegalArgumentException when the value is not an amount or amount@fork
     */
    public static Order parse(String customer, String value) {
        int at = value.indexOf('@');
        try {
            return at < 0 ? new Order(customer, Long.parseLong(value), ALL)
                    : new Order(customer, Long.parseLong(value.substring(0, at)), value.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an order value (amount or amount@fork): " + value, e);
        }
    }
}
