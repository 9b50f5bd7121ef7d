using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.DisclosureLog.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitialDisclosureLog : Migration
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
                name: "recipients",
                columns: table => new
                {
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name_fi = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    description_fi = table.Column<string>(type: "text", nullable: false),
                    description_en = table.Column<string>(type: "text", nullable: false),
                    country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    outside_eu_eea = table.Column<bool>(type: "boolean", nullable: false),
                    safeguard_fi = table.Column<string>(type: "text", nullable: true),
                    safeguard_en = table.Column<string>(type: "text", nullable: true),
                    receives_erasure_notices = table.Column<bool>(type: "boolean", nullable: false),
                    categories = table.Column<List<string>>(type: "text[]", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recipients", x => x.slug);
                });

            migrationBuilder.CreateTable(
                name: "disclosures",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    categories = table.Column<List<string>>(type: "text[]", nullable: false),
                    legal_basis = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    disclosed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    customer_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    business_id = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_disclosures", x => x.id);
                    table.ForeignKey(
                        name: "fk_disclosures_recipients_recipient",
                        column: x => x.recipient,
                        principalTable: "recipients",
                        principalColumn: "slug",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "erasure_notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    categories = table.Column<List<string>>(type: "text[]", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    subject_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirm_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_erasure_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_erasure_notifications_recipients_recipient",
                        column: x => x.recipient,
                        principalTable: "recipients",
                        principalColumn: "slug",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "rectification_notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    fields = table.Column<List<string>>(type: "text[]", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    subject_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirm_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rectification_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_rectification_notifications_recipients_recipient",
                        column: x => x.recipient,
                        principalTable: "recipients",
                        principalColumn: "slug",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_disclosures_recipient",
                table: "disclosures",
                column: "recipient");

            migrationBuilder.CreateIndex(
                name: "ix_disclosures_subject_id",
                table: "disclosures",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_notifications_confirm_by",
                table: "erasure_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_notifications_recipient",
                table: "erasure_notifications",
                column: "recipient");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_notifications_request_id_recipient",
                table: "erasure_notifications",
                columns: new[] { "request_id", "recipient" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_processed_at",
                table: "inbox_messages",
                column: "processed_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_occurred_at",
                table: "outbox_messages",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_recipients_position",
                table: "recipients",
                column: "position");

            migrationBuilder.CreateIndex(
                name: "ix_recipients_role",
                table: "recipients",
                column: "role");

            migrationBuilder.CreateIndex(
                name: "ix_rectification_notifications_confirm_by",
                table: "rectification_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_rectification_notifications_recipient",
                table: "rectification_notifications",
                column: "recipient");

            migrationBuilder.CreateIndex(
                name: "ix_rectification_notifications_request_id_recipient",
                table: "rectification_notifications",
                columns: new[] { "request_id", "recipient" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "disclosures");

            migrationBuilder.DropTable(
                name: "erasure_notifications");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "rectification_notifications");

            migrationBuilder.DropTable(
                name: "recipients");
        }
    }
}
