using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Retention.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitialRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "legal_holds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    retention_rule = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    statute_fi = table.Column<string>(type: "text", nullable: false),
                    statute_en = table.Column<string>(type: "text", nullable: false),
                    retain_until = table.Column<DateOnly>(type: "date", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    records = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    erased_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_legal_holds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    destination = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "retention_rules",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    legal_basis = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    statute_fi = table.Column<string>(type: "text", nullable: true),
                    statute_en = table.Column<string>(type: "text", nullable: true),
                    period = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    starts_at = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    on_expiry = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    description_fi = table.Column<string>(type: "text", nullable: false),
                    description_en = table.Column<string>(type: "text", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retention_rules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_processed_at",
                table: "inbox_messages",
                column: "processed_at");

            migrationBuilder.CreateIndex(
                name: "ix_legal_holds_scheduled_retain_until",
                table: "legal_holds",
                column: "retain_until",
                filter: "status = 'scheduled'");

            migrationBuilder.CreateIndex(
                name: "ix_legal_holds_subject_id_retain_until",
                table: "legal_holds",
                columns: new[] { "subject_id", "retain_until" });

            migrationBuilder.CreateIndex(
                name: "ux_legal_holds_one_per_request_and_data",
                table: "legal_holds",
                columns: new[] { "request_id", "subject_id", "register", "retention_rule", "category", "retain_until" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_occurred_at",
                table: "outbox_messages",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_retention_rules_position",
                table: "retention_rules",
                column: "position");

            migrationBuilder.CreateIndex(
                name: "ix_retention_rules_register",
                table: "retention_rules",
                column: "register");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "legal_holds");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "retention_rules");
        }
    }
}
