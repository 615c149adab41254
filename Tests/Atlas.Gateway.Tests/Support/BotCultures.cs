using System.Globalization;

namespace Atlas.Gateway.Tests.Support;

/// <summary>The two languages the bot speaks, for reading the expected texts from its resource files.</summary>
internal static class BotCultures
{
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru");
}
