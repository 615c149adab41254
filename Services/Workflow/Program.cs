using Atlas.Workflow.Apis;
using Atlas.Workflow.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapUserTasksApi();
app.MapProcessInstancesApi();
app.MapParkedApi();
app.MapCachesApi();

await app.RunAsync();
