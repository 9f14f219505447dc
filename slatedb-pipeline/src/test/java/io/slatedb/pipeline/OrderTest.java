package io.slatedb.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class OrderTest {

    @Test
    void anOrderForEveryJobIsTakenByEveryFork() {
        Order order = Order.parse("customer-00001", "42");

        assertThat(order).isEqualTo(new Order("customer-00001", 42, Order.ALL));
        assertThat(order.value()).isEqualTo("42");
        assertThat(order.isFor(Order.ALL)).isTrue();
        assertThat(order.isFor("a")).isTrue();
    }

    @Test
    void anOrderForOneForkIsTakenByThatForkOnly() {
        Order order = Order.parse("customer-00001", "7@b");

        assertThat(order).isEqualTo(new Order("customer-00001", 7, "b"));
        assertThat(order.value()).isEqualTo("7@b");
        assertThat(order.isFor("b")).isTrue();
        assertThat(order.isFor("a")).isFalse();
        assertThat(order.isFor(Order.ALL)).isFalse();
    }

    @Test
    void aValueThatIsNotAnAmountIsRefusedNamingIt() {
        assertThatThrownBy(() -> Order.parse("customer-00001", "lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lots");
    }
}
