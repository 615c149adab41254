using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>banChatMember, unbanChatMember, restrictChatMember, getChatMember and getChatAdministrators.</summary>
public sealed class Moderation(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const long Group = -1001000000001;
    private const long User = 1001;

    [Fact]
    public async Task Refuses_to_ban_unless_the_bot_is_an_administrator()
    {
        var bot = await NewGroupAsync();

        var response = await sandbox.CallAsync(bot, "banChatMember", Target());

        response.StatusCode.Should().Be(400);
        response.Description.Should().Be("Bad Request: not enough rights to restrict/unrestrict chat member");
    }

    [Fact]
    public async Task Bans_and_unbans_a_member()
    {
        var bot = await NewGroupAsync(botIsAdmin: true);

        var until = DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds();
        var banned = await sandbox.CallAsync(bot, "banChatMember", Target(new JsonObject { ["until_date"] = until }));
        var whileBanned = await sandbox.CallAsync(bot, "getChatMember", Target());
        var unbanned = await sandbox.CallAsync(bot, "unbanChatMember", Target(new JsonObject { ["only_if_banned"] = true }));
        var afterwards = await sandbox.CallAsync(bot, "getChatMember", Target());

        banned.Ok.Should().BeTrue();
        whileBanned.Result!["status"]!.GetValue<string>().Should().Be("kicked");
        whileBanned.Result!["until_date"]!.GetValue<long>().Should().Be(until);
        whileBanned.Result!["user"]!["first_name"]!.GetValue<string>().Should().Be("Mallory");
        unbanned.Ok.Should().BeTrue();
        afterwards.Result!["status"]!.GetValue<string>().Should().Be("left");
    }

    [Fact]
    public async Task Restricts_a_member_with_permissions_and_an_end()
    {
        var bot = await NewGroupAsync(botIsAdmin: true);

        var until = DateTimeOffset.UtcNow.AddHours(3).ToUnixTimeSeconds();
        var response = await sandbox.CallAsync(bot, "restrictChatMember", Target(new JsonObject
        {
            ["permissions"] = new JsonObject { ["can_send_messages"] = false, ["can_send_polls"] = true },
            ["until_date"] = until,
        }));
        var member = await sandbox.CallAsync(bot, "getChatMember", Target());

        response.Ok.Should().BeTrue();
        member.Result!["status"]!.GetValue<string>().Should().Be("restricted");
        member.Result!["is_member"]!.GetValue<bool>().Should().BeTrue();
        member.Result!["can_send_messages"]!.GetValue<bool>().Should().BeFalse();
        member.Result!["can_send_polls"]!.GetValue<bool>().Should().BeTrue();
        member.Result!["until_date"]!.GetValue<long>().Should().Be(until);
    }

    [Theory]
    [InlineData("banChatMember", 10)]
    [InlineData("banChatMember", 367 * 24 * 3600)]
    [InlineData("restrictChatMember", 29)]
    [InlineData("restrictChatMember", 400 * 24 * 3600)]
    public async Task A_restriction_under_30_seconds_or_over_366_days_from_now_is_for_good(string method, long seconds)
    {
        var bot = await NewGroupAsync(botIsAdmin: true);
        var arguments = Target(new JsonObject { ["until_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + seconds });
        if (method == "restrictChatMember")
        {
            arguments["permissions"] = new JsonObject { ["can_send_messages"] = false };
        }

        (await sandbox.CallAsync(bot, method, arguments)).Ok.Should().BeTrue();
        var member = await sandbox.CallAsync(bot, "getChatMember", Target());

        member.Result!["until_date"]!.GetValue<long>().Should().Be(0, "the spec: such a user is banned or restricted forever");
    }

    [Fact]
    public async Task Restricts_only_in_supergroups()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage { ChatId = -1002, ChatType = "group", UserId = User, Text = "hi" });
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, -1002, bot.Id, "administrator");

        var response = await sandbox.CallAsync(bot, "restrictChatMember", new JsonObject
        {
            ["chat_id"] = -1002,
            ["user_id"] = User,
            ["permissions"] = new JsonObject { ["can_send_messages"] = false },
        });

        response.Description.Should().Be("Bad Request: method is available only for supergroups");
    }

    [Fact]
    public async Task Will_not_ban_an_administrator_or_the_owner()
    {
        var bot = await NewGroupAsync(botIsAdmin: true);
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, 1003, "administrator");
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, 1004, "creator");

        var admin = await sandbox.CallAsync(bot, "banChatMember", new JsonObject { ["chat_id"] = Group, ["user_id"] = 1003 });
        var owner = await sandbox.CallAsync(bot, "banChatMember", new JsonObject { ["chat_id"] = Group, ["user_id"] = 1004 });

        admin.Description.Should().Be("Bad Request: user is an administrator of the chat");
        owner.Description.Should().Be("Bad Request: can't remove chat owner");
    }

    [Fact]
    public async Task Reports_members_and_the_bot_itself_in_getChatMember()
    {
        var bot = await NewGroupAsync(botIsAdmin: true);

        var user = await sandbox.CallAsync(bot, "getChatMember", Target());
        var self = await sandbox.CallAsync(bot, "getChatMember", new JsonObject { ["chat_id"] = Group, ["user_id"] = bot.Id });
        var stranger = await sandbox.CallAsync(bot, "getChatMember", new JsonObject { ["chat_id"] = Group, ["user_id"] = 424242 });

        user.Result!["status"]!.GetValue<string>().Should().Be("member");
        self.Result!["status"]!.GetValue<string>().Should().Be("administrator");
        self.Result!["can_restrict_members"]!.GetValue<bool>().Should().BeTrue();
        stranger.Description.Should().Be("Bad Request: user not found");
    }

    [Fact]
    public async Task Lists_the_owner_first_among_administrators()
    {
        var bot = await NewGroupAsync(botIsAdmin: true);
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, 1005, "creator");

        var response = await sandbox.CallAsync(bot, "getChatAdministrators", new JsonObject { ["chat_id"] = Group });

        var statuses = response.Result!.AsArray().Select(m => (m!["status"]!.GetValue<string>(), m["user"]!["id"]!.GetValue<long>())).ToList();
        statuses.Should().Equal(("creator", 1005L), ("administrator", bot.Id));
    }

    private async Task<SandboxBot> NewGroupAsync(bool botIsAdmin = false)
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage
        {
            ChatId = Group,
            ChatType = "supergroup",
            ChatTitle = "Atlas users",
            UserId = User,
            FirstName = "Mallory",
            Text = "hello",
        });
        if (botIsAdmin)
        {
            await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, bot.Id, "administrator");
        }

        return bot;
    }

    private static JsonObject Target(JsonObject? more = null)
    {
        var parameters = new JsonObject { ["chat_id"] = Group, ["user_id"] = User };
        foreach (var (name, value) in more ?? [])
        {
            parameters[name] = value?.DeepClone();
        }

        return parameters;
    }
}
