namespace Atlas.Gateway.Locales;

/// <summary>The names of the bot's texts in <c>Resources/Messages*.resx</c>.</summary>
public static class TextKeys
{
    public const string Welcome = "Welcome";
    public const string WelcomeGate = "WelcomeGate";
    public const string Help = "Help";
    public const string HelpGateNote = "HelpGateNote";
    public const string MemoryUnavailable = "MemoryUnavailable";
    public const string PasswordRequired = "PasswordRequired";
    public const string PasswordAccepted = "PasswordAccepted";
    public const string PasswordWrong = "PasswordWrong";
    public const string PasswordLocked = "PasswordLocked";
    public const string PasswordUnavailable = "PasswordUnavailable";
    public const string GroupsNone = "GroupsNone";
    public const string GroupsHeader = "GroupsHeader";
    public const string ResetDone = "ResetDone";
    public const string ResetUnavailable = "ResetUnavailable";
    public const string SearchUsage = "SearchUsage";
    public const string SearchNoHits = "SearchNoHits";
    public const string SearchHeader = "SearchHeader";
    public const string TasksNone = "TasksNone";
    public const string TasksHeader = "TasksHeader";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string UnknownCommand = "UnknownCommand";
    public const string RateLimited = "RateLimited";
    public const string Paused = "Paused";
    public const string Error = "Error";
    public const string NonText = "NonText";
    public const string CallbackUnknown = "CallbackUnknown";
    public const string HelpButton = "HelpButton";
    public const string AdminFrozen = "AdminFrozen";
    public const string AdminUnfrozen = "AdminUnfrozen";
    public const string AdminTierSet = "AdminTierSet";
    public const string AdminTierUsage = "AdminTierUsage";
    public const string AdminStateUnavailable = "AdminStateUnavailable";
    public const string MenuStart = "MenuStart";
    public const string MenuHelp = "MenuHelp";
    public const string MenuGroups = "MenuGroups";
    public const string MenuReset = "MenuReset";
    public const string MenuSearch = "MenuSearch";
    public const string MenuTasks = "MenuTasks";
}
