using System.Text;
using Atlas.Gateway.Telegram.Ingest;

namespace Atlas.Gateway.Tests.Ingest.Units;

/// <summary>The webhook edge's one-pass read of an update: update_id, kind and chat id, or a reason that echoes no input.</summary>
public sealed class UpdateEnvelopeReading
{
    [Theory]
    [InlineData("""{"update_id":7,"message":{"message_id":1,"chat":{"id":-100,"type":"group"},"text":"hi"}}""", 7, "message", -100L)]
    [InlineData("""{"message":{"from":{"id":5},"chat":{"type":"private","id":42}},"update_id":8}""", 8, "message", 42L)]
    [InlineData("""{"update_id":9,"callback_query":{"id":"q","from":{"id":5},"message":{"message_id":3,"chat":{"id":77,"type":"private"}},"data":"x"}}""", 9, "callback_query", 77L)]
    [InlineData("""{"update_id":10,"chat_member":{"chat":{"id":-5,"type":"supergroup"},"from":{"id":1},"date":1}}""", 10, "chat_member", -5L)]
    [InlineData("""{"update_id":11,"inline_query":{"id":"i","from":{"id":5},"query":"q"}}""", 11, "inline_query", null)]
    [InlineData("""{"update_id":12,"something_new":{"chat":{"id":3}}}""", 12, "other", 3L)]
    [InlineData("""{"update_id":13}""", 13, "unknown", null)]
    public void Reads_the_id_the_kind_and_the_chat(string json, long updateId, string type, long? chatId)
    {
        var envelope = UpdateEnvelope.TryRead(Encoding.UTF8.GetBytes(json), out var error);

        error.Should().BeNull();
        envelope.Should().Be(new UpdateEnvelope(updateId, type, chatId));
    }

    [Fact]
    public void Takes_the_chat_of_the_message_not_of_a_nested_reply()
    {
        var json = """{"update_id":1,"message":{"reply_to_message":{"chat":{"id":999}},"chat":{"id":5,"type":"group"}}}""";

        UpdateEnvelope.TryRead(Encoding.UTF8.GetBytes(json), out _)!.Value.ChatId.Should().Be(5);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"update_id\": 5, \"mess", "not valid JSON")]
    [InlineData("{\"hello\":\"world\"}", "lacks update_id")]
    [InlineData("{\"update_id\":\"five\"}", "non-negative integer")]
    [InlineData("{\"update_id\":-5}", "non-negative integer")]
    [InlineData("{\"update_id\":1.5}", "non-negative integer")]
    [InlineData("{\"update_id\":99999999999999999999999}", "non-negative integer")]
    [InlineData("{\"update_id\":1} {\"update_id\":2}", "JSON")]
    public void Refuses_what_is_not_an_update_with_a_reason_that_echoes_nothing(string body, string reason)
    {
        var envelope = UpdateEnvelope.TryRead(Encoding.UTF8.GetBytes(body), out var error);

        envelope.Should().BeNull();
        error.Should().Contain(reason);
        error.Should().NotContain("hello").And.NotContain("five");
    }

    [Fact]
    public void Refuses_nesting_deeper_than_its_limit()
    {
        var body = "{\"update_id\":1,\"x\":" + new string('[', 200) + new string(']', 200) + "}";

        UpdateEnvelope.TryRead(Encoding.UTF8.GetBytes(body), out var error).Should().BeNull();
        error.Should().Contain("not valid JSON");
    }
}
