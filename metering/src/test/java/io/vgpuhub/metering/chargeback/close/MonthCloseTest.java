package io.vgpuhub.metering.chargeback.close;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The close tests' own context and database, with a clock they set. Closing is global (months close in order across
 * every tenant), so these tests must not meet other tests' slices, and each takes months of its own
 * ({@link CloseFixtures#freshMonths}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "vgpuhub.test.database=month-close")
@Import(MonthCloseTest.ClockConfiguration.class)
@interface MonthCloseTest {

    /**
     * Imported, not annotated: MeteringConfiguration's component scan covers the test classes too, and must not hand
     * this clock to every other metering test's context.
     */
    class ClockConfiguration {

        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock();
        }
    }
}
