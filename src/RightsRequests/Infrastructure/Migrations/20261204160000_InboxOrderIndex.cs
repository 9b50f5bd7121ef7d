using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InboxOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The inbox's first page sorted all requests (11 ms at 10 000, growing with the table): now an index scan.
            migrationBuilder.CreateIndex(
                name: "ix_rights_requests_due_on_received_at_id",
                table: "rights_requests",
                columns: new[] { "due_on", "received_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_rights_requests_due_on_received_at_id",
                table: "rights_requests");
        }
    }
}
