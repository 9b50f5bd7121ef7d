using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.DisclosureLog.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SupersededNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_restriction_notifications_confirm_by",
                table: "restriction_notifications");

            migrationBuilder.DropIndex(
                name: "ix_rectification_notifications_confirm_by",
                table: "rectification_notifications");

            migrationBuilder.DropIndex(
                name: "ix_erasure_notifications_confirm_by",
                table: "erasure_notifications");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "superseded_at",
                table: "restriction_notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "superseded_at",
                table: "rectification_notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "superseded_at",
                table: "erasure_notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_restriction_notifications_confirm_by",
                table: "restriction_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL AND superseded_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_rectification_notifications_confirm_by",
                table: "rectification_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL AND superseded_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_notifications_confirm_by",
                table: "erasure_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL AND superseded_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_restriction_notifications_confirm_by",
                table: "restriction_notifications");

            migrationBuilder.DropIndex(
                name: "ix_rectification_notifications_confirm_by",
                table: "rectification_notifications");

            migrationBuilder.DropIndex(
                name: "ix_erasure_notifications_confirm_by",
                table: "erasure_notifications");

            migrationBuilder.DropColumn(
                name: "superseded_at",
                table: "restriction_notifications");

            migrationBuilder.DropColumn(
                name: "superseded_at",
                table: "rectification_notifications");

            migrationBuilder.DropColumn(
                name: "superseded_at",
                table: "erasure_notifications");

            migrationBuilder.CreateIndex(
                name: "ix_restriction_notifications_confirm_by",
                table: "restriction_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_rectification_notifications_confirm_by",
                table: "rectification_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_notifications_confirm_by",
                table: "erasure_notifications",
                column: "confirm_by",
                filter: "confirmed_at IS NULL");
        }
    }
}
