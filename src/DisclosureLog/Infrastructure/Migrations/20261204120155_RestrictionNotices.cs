using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.DisclosureLog.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RestrictionNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "restriction_notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
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
                    table.PrimaryKey("pk_restriction_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_restriction_notifications_recipients_recipient",
                        column: x => x.recipient,
                        principalTable: "recipients",
                        principalColumn: "slug",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_restriction_notifications_confirm_by",
                table: "restriction_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_restriction_notifications_recipient",
                table: "restriction_notifications",
                column: "recipient");

            migrationBuilder.CreateIndex(
                name: "ix_restriction_notifications_request_id_recipient_kind",
                table: "restriction_notifications",
                columns: new[] { "request_id", "recipient", "kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "restriction_notifications");
        }
    }
}
