using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Atlas.Gateway.Tests.Support;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>Bad input at the webhook: whatever arrives, the answer is never a 5xx and the gateway keeps working.</summary>
public sealed class WebhookFuzz
{
    private const string Secret = "fuzz-secret";

    [Fact]
    public async Task A_thousand_malformed_or_mutated_bodies_get_no_5xx()
    {
        await using var world = await IngestWorld.StartAsync("ingestfuzz");
        var (_, _, _, recorder) = world;
        await using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:WebhookMaxBodyBytes"] = "65536",
        });
        var random = new Random(20261123);
        var statuses = new Dictionary<int, int>();
        var fiveHundreds = new List<string>();

        for (var i = 0; i < 1000; i++)
        {
            var (kind, body) = FuzzBodies.Next(random, i);
            using var response = await gateway.Client.SendAsync(IngestUpdates.WebhookRequest(body, Secret));
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                fiveHundreds.Add($"#{i} {kind}: {status}");
            }
        }

        fiveHundreds.Should().BeEmpty();
        statuses.Keys.Should().BeSubsetOf([200, 400, 413], "bad input is a 4xx, a well-formed update a 200");
        statuses.GetValueOrDefault(400).Should().BeGreaterThan(500, "most of the bodies are not updates");

        // Still serving: a good update after the storm is handled.
        var chat = IngestUpdates.NewGroupId();
        var good = IngestUpdates.NextUpdateId();
        using (var ok = await gateway.Client.SendAsync(IngestUpdates.WebhookRequest(IngestUpdates.GroupMessage(good, chat, 77, "still here"), Secret)))
        {
            ok.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await recorder.WaitUntilAsync(r => r.CountOf(good) == 1);
    }
}

/// <summary>Seeded bodies for the fuzz test: broken JSON, wrong types, huge numbers, deep nesting, binary, non-updates, mutations.</summary>
internal static class FuzzBodies
{
    private static readonly string[] Junk = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-", "1e999", "\u0000", "\uFFFF", "💥"];

    public static (string Kind, byte[] Body) Next(Random random, int index)
    {
        var valid = IngestUpdates.GroupMessage(800_000_000 + index, -4_000_000 - random.Next(100), 42, "fuzz " + index).ToJsonString();
        return (index % 10) switch
        {
            0 => ("truncated", Encoding.UTF8.GetBytes(valid[..random.Next(0, valid.Length)])),
            1 => ("wrong types", Encoding.UTF8.GetBytes(WrongTypes(random, index))),
            2 => ("huge number", Encoding.UTF8.GetBytes($"{{\"update_id\":{new string('9', random.Next(20, 400))}}}")),
            3 => ("nested junk", Encoding.UTF8.GetBytes(Nested(random))),
            4 => ("empty or blank", Encoding.UTF8.GetBytes(new string(' ', random.Next(0, 3)))),
            5 => ("binary", Binary(random)),
            6 => ("json, not an update", Encoding.UTF8.GetBytes(NotAnUpdate(random))),
            _ => ("mutated update", Mutate(random, Encoding.UTF8.GetBytes(valid))),
        };
    }

    private static string WrongTypes(Random random, int index) => random.Next(6) switch
    {
        0 => "{\"update_id\":\"12\"}",
        1 => "{\"update_id\":1.5}",
        2 => $"{{\"update_id\":{index},\"message\":\"text\"}}",
        3 => $"{{\"update_id\":{index},\"message\":{{\"message_id\":\"x\",\"chat\":{{\"id\":1,\"type\":\"group\"}}}}}}",
        4 => $"{{\"update_id\":{index},\"message\":{{\"message_id\":1,\"chat\":{{\"id\":[1],\"type\":\"group\"}}}}}}",
        _ => "{\"update_id\":-5}",
    };

    private static string Nested(Random random)
    {
        var depth = random.Next(10, 2000);
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var builder = new StringBuilder("{\"update_id\":1,\"x\":");
        for (var i = 0; i < depth; i++)
        {
            builder.Append(open);
        }

        builder.Append(Junk[random.Next(Junk.Length)]);
        for (var i = 0; i < depth; i++)
        {
            builder.Append(close);
        }

        return builder.Append('}').ToString();
    }

    private static byte[] Binary(Random random)
    {
        var bytes = new byte[random.Next(1, 2048)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string NotAnUpdate(Random random) => random.Next(6) switch
    {
        0 => "[]",
        1 => "null",
        2 => "42",
        3 => "\"update_id\"",
        4 => new JsonObject { ["ok"] = true, ["result"] = new JsonArray() }.ToJsonString(),
        _ => new JsonObject { ["message"] = new JsonObject { ["text"] = "no update id" } }.ToJsonString(),
    };

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Junk[random.Next(Junk.Length)]));
                    break;
                default:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 20));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }
}
