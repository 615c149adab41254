using System.Globalization;

namespace Atlas.LlmRouter.Locales;

/// <summary>What LlmRouter says itself (apology, greeting, help, quota notice), in English and Russian.</summary>
public static class RouterTexts
{
    public static bool IsRussian(string? languageCode) =>
        languageCode is not null && languageCode.StartsWith("ru", StringComparison.OrdinalIgnoreCase);

    public static string Apology(string? lang) => IsRussian(lang)
        ? "Извините, сейчас я не могу ответить. Пожалуйста, попробуйте ещё раз через несколько минут."
        : "Sorry, I can't answer right now. Please try again in a few minutes.";

    public static string Greeting(string? lang) => IsRussian(lang)
        ? "Здравствуйте! Задайте вопрос, и я постараюсь помочь. Команда /search ищет в базе знаний."
        : "Hello! Ask me a question and I'll do my best to help. /search looks things up in the knowledge base.";

    public static string Help(string? lang) => IsRussian(lang)
        ? "Я отвечаю на вопросы и ищу в базе знаний. Напишите вопрос обычным текстом, /search <текст> — поиск, /reset — начать разговор заново."
        : "I answer questions and search the knowledge base. Write your question as plain text; /search <text> searches, /reset starts the conversation over.";

    public static string FromKnowledgeBase(string? lang) => IsRussian(lang) ? "Из базы знаний" : "From the knowledge base";

    public static string Sources(string? lang) => IsRussian(lang) ? "Источники" : "Sources";

    public static string QuotaReached(string? lang, DateTimeOffset resetsAt, DateTimeOffset now)
    {
        var left = resetsAt - now;
        var hours = (int)left.TotalHours;
        var minutes = left.Minutes;
        var at = resetsAt.ToString("HH:mm", CultureInfo.InvariantCulture);
        return IsRussian(lang)
            ? $"Вы исчерпали дневной лимит запросов. Он обновится в {at} UTC (через {hours} ч {minutes} мин)."
            : $"You've reached today's request limit. It resets at {at} UTC (in {hours} h {minutes} min).";
    }

    public static string SystemPrompt(string? lang) => IsRussian(lang)
        ? "Ты — помощник Atlas. Отвечай кратко, по-русски. Если даны фрагменты базы знаний, опирайся на них и называй их по метке doc перед каждым фрагментом."
        : "You are the Atlas assistant. Answer briefly, in English. If knowledge-base passages are given, base the answer on them and cite each by the doc marker before it.";

    public static string PassagesIntro(string? lang) => IsRussian(lang) ? "Фрагменты базы знаний:" : "Knowledge-base passages:";
}
