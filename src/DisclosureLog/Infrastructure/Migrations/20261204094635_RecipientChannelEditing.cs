using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Procexon.DisclosureLog.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RecipientChannelEditing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "channel_set_at",
                table: "recipients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel_set_by",
                table: "recipients",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "previous_webhook_secret_encrypted",
                table: "recipients",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "previous_webhook_secret_signs_until",
                table: "recipients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "recipient_channel_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    recipient = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    webhook_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    email_address_set = table.Column<bool>(type: "boolean", nullable: false),
                    new_webhook_secret = table.Column<bool>(type: "boolean", nullable: false),
                    previous_secret_signs_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recipient_channel_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_recipient_channel_changes_recipients_recipient",
                        column: x => x.recipient,
                        principalTable: "recipients",
                        principalColumn: "slug",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_recipient_channel_changes_recipient_id",
                table: "recipient_channel_changes",
                columns: new[] { "recipient", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "recipient_channel_changes");

            migrationBuilder.DropColumn(
                name: "channel_set_at",
                table: "recipients");

            migrationBuilder.DropColumn(
                name: "channel_set_by",
                table: "recipients");

            migrationBuilder.DropColumn(
                name: "previous_webhook_secret_encrypted",
                table: "recipients");

            migrationBuilder.DropColumn(
                name: "previous_webhook_secret_signs_until",
                table: "recipients");
        }
    }
}
