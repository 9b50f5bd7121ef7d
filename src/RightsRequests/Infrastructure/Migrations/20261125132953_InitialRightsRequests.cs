using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitialRightsRequests : Migration
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
                name: "rights_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    details = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    verification_method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    verified_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    scope_resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    recipients_resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    entered_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    extension_months = table.Column<int>(type: "integer", nullable: false),
                    extension_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    extended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    refusal_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    verification_code_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    verification_code_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    verification_code_attempts = table.Column<int>(type: "integer", nullable: false),
                    verification_codes_sent = table.Column<int>(type: "integer", nullable: false),
                    corrections = table.Column<string>(type: "jsonb", nullable: false),
                    objection_to = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    decision = table.Column<string>(type: "jsonb", nullable: true),
                    right = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    right_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    held_identifiers = table.Column<string>(type: "jsonb", nullable: false),
                    lifting = table.Column<string>(type: "jsonb", nullable: true),
                    subject_business_id = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true),
                    subject_customer_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    subject_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    subject_hetu = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: true),
                    subject_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    subject_phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rights_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "recipient_notices",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    notification_id = table.Column<Guid>(type: "uuid", nullable: true),
                    confirm_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    name_fi = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recipient_notices", x => new { x.request_id, x.recipient });
                    table.ForeignKey(
                        name: "fk_recipient_notices_rights_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "rights_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "register_answers",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    records_erased = table.Column<int>(type: "integer", nullable: false),
                    retained = table.Column<string>(type: "jsonb", nullable: false),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_fi = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    note_en = table.Column<string>(type: "text", nullable: true),
                    note_fi = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_register_answers", x => new { x.request_id, x.register });
                    table.ForeignKey(
                        name: "fk_register_answers_rights_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "rights_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "register_data_copies",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "jsonb", nullable: false),
                    records = table.Column<string>(type: "jsonb", nullable: false),
                    processing = table.Column<string>(type: "jsonb", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_register_data_copies", x => new { x.request_id, x.register });
                    table.ForeignKey(
                        name: "fk_register_data_copies_rights_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "rights_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "request_audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    from_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    to_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_audit_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_request_audit_entries_rights_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "rights_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_processed_at",
                table: "inbox_messages",
                column: "processed_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_occurred_at",
                table: "outbox_messages",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_request_audit_entries_occurred_at",
                table: "request_audit_entries",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_request_audit_entries_request_id_id",
                table: "request_audit_entries",
                columns: new[] { "request_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_rights_requests_status_due_on",
                table: "rights_requests",
                columns: new[] { "status", "due_on" });

            migrationBuilder.CreateIndex(
                name: "ix_rights_requests_status_entered_at",
                table: "rights_requests",
                columns: new[] { "status", "entered_at" });

            // Hand-written: the database refuses UPDATE, DELETE and TRUNCATE of the audit trail.
            migrationBuilder.Sql(AppendOnlyAuditSql.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AppendOnlyAuditSql.Drop);

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "recipient_notices");

            migrationBuilder.DropTable(
                name: "register_answers");

            migrationBuilder.DropTable(
                name: "register_data_copies");

            migrationBuilder.DropTable(
                name: "request_audit_entries");

            migrationBuilder.DropTable(
                name: "rights_requests");
        }
    }
}
