using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class FanOutRowsPerRequest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A request has one answer row per register (ten) and a notice row per recipient (one or two), however big the
            // tables grow. Sampled early, when the tables held a handful of requests, ANALYZE counted few distinct requests
            // and the planner read a batch's requests with their rows by a hash join over a sequential scan of both tables,
            // slower with every request (docs/performance.md, twelfth round); a fixed ratio keeps it on their keys' index.
            migrationBuilder.Sql("ALTER TABLE register_answers ALTER COLUMN request_id SET (n_distinct = -0.1);");
            migrationBuilder.Sql("ALTER TABLE recipient_notices ALTER COLUMN request_id SET (n_distinct = -0.5);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE register_answers ALTER COLUMN request_id RESET (n_distinct);");
            migrationBuilder.Sql("ALTER TABLE recipient_notices ALTER COLUMN request_id RESET (n_distinct);");
        }
    }
}
