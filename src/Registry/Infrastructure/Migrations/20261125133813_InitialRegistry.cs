using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Registry.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitialRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "identifier_key_checks",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    identifier_key_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    hetu_key_ciphertext = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identifier_key_checks", x => x.id);
                });

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
                name: "register_erasures",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    records_erased = table.Column<int>(type: "integer", nullable: false),
                    records_retained = table.Column<int>(type: "integer", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_register_erasures", x => new { x.request_id, x.register });
                });

            migrationBuilder.CreateTable(
                name: "registers",
                columns: table => new
                {
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "jsonb", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registers", x => x.slug);
                });

            migrationBuilder.CreateTable(
                name: "subject_merges",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    from_subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    into_subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    merged_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    merged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    records_moved = table.Column<int>(type: "integer", nullable: false),
                    moved_per_register = table.Column<string>(type: "jsonb", nullable: false),
                    identifiers_taken = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subject_merges", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subject_restrictions",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    right = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    record_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    restricted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lifted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subject_restrictions", x => new { x.request_id, x.subject_id, x.register });
                });

            migrationBuilder.CreateTable(
                name: "subjects",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    hetu_encrypted = table.Column<byte[]>(type: "bytea", nullable: true),
                    business_id = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true),
                    customer_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    business_id_hash = table.Column<byte[]>(type: "bytea", nullable: true),
                    customer_number_hash = table.Column<byte[]>(type: "bytea", nullable: true),
                    email_hash = table.Column<byte[]>(type: "bytea", nullable: true),
                    hetu_hash = table.Column<byte[]>(type: "bytea", nullable: true),
                    phone_hash = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subjects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suppression_entries",
                columns: table => new
                {
                    key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppression_entries", x => x.key_hash);
                });

            migrationBuilder.CreateTable(
                name: "register_versions",
                columns: table => new
                {
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "jsonb", nullable: false),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    change_note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_register_versions", x => new { x.slug, x.version });
                    table.ForeignKey(
                        name: "fk_register_versions_registers_slug",
                        column: x => x.slug,
                        principalTable: "registers",
                        principalColumn: "slug",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    category = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    fields = table.Column<string>(type: "jsonb", nullable: false),
                    recorded_on = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    retention_rule = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    retain_until = table.Column<DateOnly>(type: "date", nullable: true),
                    erasure_request_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_records_registers_register",
                        column: x => x.register,
                        principalTable: "registers",
                        principalColumn: "slug",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_records_subjects_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "subject_aliases",
                columns: table => new
                {
                    key_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    merge_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subject_aliases", x => x.key_hash);
                    table.ForeignKey(
                        name: "fk_subject_aliases_subjects_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "ix_records_register",
                table: "records",
                column: "register");

            migrationBuilder.CreateIndex(
                name: "ix_records_subject_id_register",
                table: "records",
                columns: new[] { "subject_id", "register" });

            migrationBuilder.CreateIndex(
                name: "ix_registers_position",
                table: "registers",
                column: "position");

            migrationBuilder.CreateIndex(
                name: "ix_subject_aliases_subject_id",
                table: "subject_aliases",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "ix_subject_merges_from_subject_id",
                table: "subject_merges",
                column: "from_subject_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_subject_merges_into_subject_id",
                table: "subject_merges",
                column: "into_subject_id");

            migrationBuilder.CreateIndex(
                name: "ix_subject_restrictions_subject_id_register",
                table: "subject_restrictions",
                columns: new[] { "subject_id", "register" },
                filter: "lifted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_subjects_business_id_hash",
                table: "subjects",
                column: "business_id_hash",
                filter: "business_id_hash IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_subjects_customer_number_hash",
                table: "subjects",
                column: "customer_number_hash",
                unique: true,
                filter: "customer_number_hash IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_subjects_email_hash",
                table: "subjects",
                column: "email_hash",
                unique: true,
                filter: "email_hash IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_subjects_hetu_hash",
                table: "subjects",
                column: "hetu_hash",
                unique: true,
                filter: "hetu_hash IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_subjects_phone_hash",
                table: "subjects",
                column: "phone_hash",
                filter: "phone_hash IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "identifier_key_checks");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "records");

            migrationBuilder.DropTable(
                name: "register_erasures");

            migrationBuilder.DropTable(
                name: "register_versions");

            migrationBuilder.DropTable(
                name: "subject_aliases");

            migrationBuilder.DropTable(
                name: "subject_merges");

            migrationBuilder.DropTable(
                name: "subject_restrictions");

            migrationBuilder.DropTable(
                name: "suppression_entries");

            migrationBuilder.DropTable(
                name: "registers");

            migrationBuilder.DropTable(
                name: "subjects");
        }
    }
}
