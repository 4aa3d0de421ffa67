package io.rocketcluster.broker.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class GroupValidatorTest {
    @ParameterizedTest
    @ValueSource(strings = {"g", "CID_RMQ_SYS_TRANS", "please_rename_unique_group_name", "a-b_c|d%e", "TOOLS_CONSUMER",
            "0123456789"})
    void legalGroups(String group) {
        assertThat(GroupValidator.check(group)).isNull();
        assertThat(GroupValidator.checkConsumerGroup(group)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "a/b", "..", ".", "a.b", "a\\b", "x y", "a\u0000b", "a\nb", "grüße", "a@b", "a,b"})
    void groupsWithIllegalCharactersNameTheRule(String group) {
        String reason = GroupValidator.check(group);
        assertThat(reason).contains("^[%|a-zA-Z0-9_-]+$");
        assertThat(reason).doesNotContain("\n").doesNotContain("\u0000");
        assertThat(GroupValidator.checkConsumerGroup(group)).isEqualTo(reason);
    }

    @Test
    void blankGroupsAreIllegal() {
        assertThat(GroupValidator.check(null)).contains("blank");
        assertThat(GroupValidator.check("")).contains("blank");
        assertThat(GroupValidator.check("  ")).contains("blank");
        assertThat(GroupValidator.checkConsumerGroup(null)).contains("blank");
    }

    @Test
    void aGroupHasAtMost255Characters() {
        assertThat(GroupValidator.check("g".repeat(255))).isNull();
        assertThat(GroupValidator.check("g".repeat(256))).contains("255").contains("^[%|a-zA-Z0-9_-]+$");
    }

    @Test
    void aConsumerGroupsRetryAndDeadLetterTopicsMustFit127Bytes() {
        assertThat(GroupValidator.MAX_CONSUMER_GROUP_LENGTH).isEqualTo(120);
        assertThat(GroupValidator.checkConsumerGroup("g".repeat(120))).isNull();
        assertThat(TopicValidator.check(TopicValidator.retryTopic("g".repeat(120)))).isNull();
        String reason = GroupValidator.checkConsumerGroup("g".repeat(121));
        assertThat(reason).contains("%RETRY%").contains("128 bytes").contains("127").contains("120")
                .contains("^[%|a-zA-Z0-9_-]+$");
        String longest = GroupValidator.checkConsumerGroup("G".repeat(255));
        assertThat(longest).contains("262 bytes").contains("127");
        assertThat(longest.length()).as("long names are cut short in the remark").isLessThan(400);
        // a producer group has no retry topic
        assertThat(GroupValidator.check("g".repeat(121))).isNull();
    }
}
