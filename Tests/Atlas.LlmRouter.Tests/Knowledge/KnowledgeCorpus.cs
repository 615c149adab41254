namespace Atlas.LlmRouter.Tests.Knowledge;

/// <summary>A small fixed English and Russian help-centre corpus, and queries with the document each must find first.</summary>
public static class KnowledgeCorpus
{
    public static readonly object[] Documents =
    [
        Doc("en-password", "Resetting your password", "To reset a forgotten password, open Settings, choose Security and press Reset password. A reset link is sent to your inbox.", "en"),
        Doc("en-billing", "Billing and invoices", "Invoices are issued on the first day of each month. You can download every invoice as a PDF from the Billing page. Payment is due within 14 days.", "en"),
        Doc("en-refund", "Refund policy", "You can request a refund within 30 days of purchase. Refunds go back to the original payment method within five business days.", "en"),
        Doc("en-2fa", "Two-factor authentication", "Enable two-factor authentication with an authenticator app. Scan the QR code and enter the six-digit code to confirm.", "en"),
        Doc("en-export", "Exporting your data", "Export all your data as a ZIP archive of CSV files from Account, Data export. Large exports are prepared in the background.", "en"),
        Doc("en-delete", "Deleting your account", "Deleting an account is permanent. All projects, files and history are removed after a 14-day grace period.", "en"),
        Doc("en-api", "API rate limits", "The public API allows 100 requests per minute per token. Exceeding the limit returns HTTP 429 with a Retry-After header.", "en"),
        Doc("en-webhook", "Configuring webhooks", "Webhooks notify your server about events. Add the endpoint URL under Integrations and pick the events to send. Failed deliveries are retried with exponential backoff.", "en"),
        Doc("en-team", "Inviting team members", "Owners and admins can invite colleagues from the Team page. Invitations expire after seven days.", "en"),
        Doc("en-mobile", "Mobile app installation", "Install the mobile app from the App Store or Google Play and sign in with your existing account.", "en"),
        Doc("en-backup", "Backups and restore", "Backups run every night and are kept for 30 days. Restore a project from the Backups tab.", "en"),
        Doc("en-dark", "Dark mode", "Switch between the light and the dark theme under Appearance in Settings.", "en"),
        Doc("ru-password", "Сброс пароля", "Чтобы сбросить забытый пароль, откройте Настройки, раздел Безопасность, и нажмите «Сбросить пароль». Ссылка для сброса придёт на вашу почту.", "ru"),
        Doc("ru-billing", "Счета и оплата", "Счета выставляются первого числа каждого месяца. Скачать счёт в PDF можно на странице Оплата. Срок оплаты — 14 дней.", "ru"),
        Doc("ru-refund", "Возврат денег", "Вернуть деньги можно в течение 30 дней после покупки. Средства возвращаются на исходный способ оплаты за пять рабочих дней.", "ru"),
        Doc("ru-2fa", "Двухфакторная аутентификация", "Включите двухфакторную аутентификацию с помощью приложения-аутентификатора. Отсканируйте QR-код и введите шестизначный код.", "ru"),
        Doc("ru-export", "Экспорт данных", "Выгрузите все данные в архиве ZIP с файлами CSV в разделе Аккаунт, Экспорт данных. Большие выгрузки готовятся в фоне.", "ru"),
        Doc("ru-delete", "Удаление аккаунта", "Удаление аккаунта необратимо. Все проекты, файлы и история удаляются через 14 дней.", "ru"),
        Doc("ru-delivery", "Доставка заказов", "Заказы доставляются курьером в течение трёх дней по Москве и до недели по России.", "ru"),
        Doc("ru-support", "Служба поддержки", "Служба поддержки работает круглосуточно. Напишите в чат на сайте или нашему боту в Telegram.", "ru"),
        Doc("ru-tariffs", "Тарифы", "Доступны тарифы Базовый, Профессиональный и Корпоративный. Сменить тариф можно в любой момент.", "ru"),
        Doc("ru-notifications", "Уведомления", "Настройте уведомления по почте и в приложении в разделе Уведомления.", "ru"),
    ];

    public static readonly TheoryData<string, string> Queries = new()
    {
        { "how do I reset my password", "en-password" },
        { "forgot password", "en-password" },
        { "pasword", "en-password" },
        { "download invoice pdf", "en-billing" },
        { "refund", "en-refund" },
        { "two-factor authentication app", "en-2fa" },
        { "scan the QR code", "en-2fa" },
        { "export my data as csv", "en-export" },
        { "delete account permanently", "en-delete" },
        { "api rate limit 429", "en-api" },
        { "webh", "en-webhook" },
        { "failed webhook deliveries retried", "en-webhook" },
        { "invite colleagues to my team", "en-team" },
        { "install the mobile app", "en-mobile" },
        { "restore a backup", "en-backup" },
        { "dark theme", "en-dark" },
        { "как сбросить пароль", "ru-password" },
        { "забыл пароль", "ru-password" },
        { "скачать счёт в pdf", "ru-billing" },
        { "возврат денег", "ru-refund" },
        { "двухфакторная аутентификация", "ru-2fa" },
        { "экспорт данных в csv", "ru-export" },
        { "удаление аккаунта", "ru-delete" },
        { "доставка по Москве", "ru-delivery" },
        { "поддержка", "ru-support" },
        { "сменить тариф", "ru-tariffs" },
        { "уведомления на почту", "ru-notifications" },
    };

    private static object Doc(string id, string title, string body, string language) =>
        new { id, title, body, language, source = $"help-centre/{id}", tags = new[] { "faq" } };
}
